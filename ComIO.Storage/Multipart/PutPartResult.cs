namespace ComIO.Storage;

/// <summary>
/// Outcome of <see cref="StorageEngine.PutPartAsync"/>: Ok (with <see cref="Part"/>), NoSuchBucket, NoSuchUpload,
/// BadDigest, IncompleteBody or InsufficientStorage.
/// </summary>
public sealed class PutPartResult
{
    public required EngineStatus Status { get; init; }

    public PartRecord? Part { get; init; }
}
