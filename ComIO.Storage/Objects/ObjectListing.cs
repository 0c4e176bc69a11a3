namespace ComIO.Storage;

/// <summary>One page of keys in ordinal UTF-8 byte order. Immutable.</summary>
public sealed class ObjectListing
{
    public required IReadOnlyList<ObjectRecord> Objects { get; init; }

    /// <summary>True when more matching keys follow the last one returned.</summary>
    public required bool IsTruncated { get; init; }
}
