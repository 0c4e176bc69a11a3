using ComIO.Storage.Allocation;

namespace ComIO.Storage;

/// <summary>
/// The committed metadata of one object version. Immutable snapshot; safe to share between threads.
/// Data lives either inline (small objects) or in device extents laid out in order, checksummed per chunk.
/// </summary>
public sealed class ObjectRecord
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    /// <summary>"null" until versioning is implemented.</summary>
    public string VersionId { get; init; } = "null";

    public required long Size { get; init; }

    /// <summary>Lower-case hex MD5 of the content, without quotes.</summary>
    public required string ETag { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public string? ContentType { get; init; }

    /// <summary>x-amz-meta-* entries, names without the prefix, lower-case.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = Empty;

    /// <summary>content-encoding, content-disposition, cache-control, content-language, expires: verbatim.</summary>
    public IReadOnlyDictionary<string, string> SystemMetadata { get; init; } = Empty;

    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Base64 checksum for <see cref="ChecksumAlgorithm"/>, if one was requested.</summary>
    public string? Checksum { get; init; }

    /// <summary>Device extents holding the data in order (empty for inline objects).</summary>
    internal Extent[] Extents { get; init; } = [];

    /// <summary>Bytes per CRC32C chunk (0 for inline objects).</summary>
    internal int ChunkSize { get; init; }

    /// <summary>CRC32C of each chunk of the content (the last chunk may be short).</summary>
    internal uint[] ChunkCrcs { get; init; } = [];

    /// <summary>The content when stored inline in metadata; null when stored in extents.</summary>
    internal byte[]? InlineData { get; init; }

    /// <summary>True when the data lives in device extents.</summary>
    internal bool HasExtents => Extents.Length > 0;

    /// <summary>Maps an object offset to a device offset and the number of contiguous bytes available from there.</summary>
    internal long MapToDevice(long objectOffset, out long contiguousBytes)
    {
        var remaining = objectOffset;
        foreach (var extent in Extents)
        {
            if (remaining < extent.Length)
            {
                contiguousBytes = extent.Length - remaining;
                return extent.Offset + remaining;
            }

            remaining -= extent.Length;
        }

        throw new ArgumentOutOfRangeException(nameof(objectOffset), objectOffset, $"Offset is beyond the extents of '{Bucket}/{Key}'.");
    }
}
