using ComIO.Storage.Allocation;
using ComIO.Storage.Encryption;

namespace ComIO.Storage.Objects;

/// <summary>
/// A run of object bytes stored contiguously (in data order) across device extents, checksummed per chunk with its own
/// chunk grid: chunk i covers segment bytes <c>[i * ChunkSize, min((i + 1) * ChunkSize, Length))</c>, so the last chunk
/// may be short. A plain object is one segment; a completed multipart object has one segment per part. Immutable.
/// </summary>
internal sealed class DataSegment
{
    public static readonly DataSegment Empty = new() { Length = 0, ChunkSize = 0, Extents = [], ChunkCrcs = [] };

    public required long Length { get; init; }

    /// <summary>Bytes per CRC32C chunk (0 when <see cref="Length"/> is 0).</summary>
    public required int ChunkSize { get; init; }

    /// <summary>Device extents holding the bytes in order; their total covers <see cref="Length"/> rounded up to a block.</summary>
    public required Extent[] Extents { get; init; }

    /// <summary>One CRC32C per chunk (empty when the record was loaded without data, e.g. for listing).</summary>
    public required uint[] ChunkCrcs { get; init; }

    /// <summary>Salt and chunk tags when the segment is encrypted at rest (CRCs then cover the ciphertext); null otherwise.</summary>
    public SegmentEncryption? Encryption { get; init; }

    public int ChunkCount => Length == 0 ? 0 : (int)((Length + ChunkSize - 1) / ChunkSize);

    public int ChunkLength(int chunk) => (int)Math.Min(ChunkSize, Length - ((long)chunk * ChunkSize));

    /// <summary>Maps a segment offset to a device offset and the number of contiguous bytes available from there.</summary>
    public long MapToDevice(long segmentOffset, out long contiguousBytes)
    {
        var remaining = segmentOffset;
        foreach (var extent in Extents)
        {
            if (remaining < extent.Length)
            {
                contiguousBytes = extent.Length - remaining;
                return extent.Offset + remaining;
            }

            remaining -= extent.Length;
        }

        throw new ArgumentOutOfRangeException(nameof(segmentOffset), segmentOffset, "Offset is beyond the segment's extents.");
    }
}
