namespace ComIO.Storage;

/// <summary>
/// One page of object versions and delete markers in S3 order: key ascending (ordinal UTF-8), then newest version first.
/// Each record's <see cref="ObjectRecord.IsLatest"/> tells whether it is the key's latest version. Immutable.
/// </summary>
public sealed class ObjectVersionListing
{
    public required IReadOnlyList<ObjectRecord> Versions { get; init; }

    /// <summary>True when more matching versions follow the last one returned.</summary>
    public required bool IsTruncated { get; init; }
}
