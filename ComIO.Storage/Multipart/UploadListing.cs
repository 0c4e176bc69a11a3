namespace ComIO.Storage;

/// <summary>One page of in-progress uploads, ordered by key (UTF-8 bytes), then initiation time, then upload id. Immutable.</summary>
public sealed class UploadListing
{
    public required IReadOnlyList<MultipartUpload> Uploads { get; init; }

    /// <summary>True when more matching uploads follow the last one returned.</summary>
    public required bool IsTruncated { get; init; }
}
