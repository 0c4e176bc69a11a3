namespace ComIO.Storage;

/// <summary>
/// One page of an upload's parts in part-number order: Status Ok (with <see cref="Upload"/>), NoSuchBucket or
/// NoSuchUpload. Immutable.
/// </summary>
public sealed class PartListing
{
    public required EngineStatus Status { get; init; }

    public MultipartUpload? Upload { get; init; }

    public IReadOnlyList<PartRecord> Parts { get; init; } = [];

    /// <summary>True when more parts follow the last one returned.</summary>
    public bool IsTruncated { get; init; }
}
