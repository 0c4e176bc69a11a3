namespace ComIO.Storage;

/// <summary>Outcome of <see cref="StorageEngine.CreateMultipartUploadAsync"/>: Ok (with <see cref="Upload"/>) or NoSuchBucket.</summary>
public sealed class CreateUploadResult
{
    public required EngineStatus Status { get; init; }

    public MultipartUpload? Upload { get; init; }
}
