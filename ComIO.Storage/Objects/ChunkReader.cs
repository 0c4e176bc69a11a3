using ComIO.Storage.Checksums;
using ComIO.Storage.Devices;

namespace ComIO.Storage.Objects;

/// <summary>Reads whole chunks of a data segment into an aligned buffer and verifies their CRC32C.</summary>
internal static class ChunkReader
{
    /// <summary>
    /// Reads chunks <c>[firstChunk, firstChunk + count)</c> of <paramref name="segment"/> into <paramref name="buffer"/>
    /// (chunk i at <c>(i - firstChunk) * ChunkSize</c>) with as few device reads as the extents allow.
    /// </summary>
    public static async ValueTask ReadAsync(IBlockDevice device, DataSegment segment, int firstChunk, int count, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var chunkSize = segment.ChunkSize;
        var start = (long)firstChunk * chunkSize;
        var end = Math.Min(segment.Length, (long)(firstChunk + count) * chunkSize);
        var length = RoundUp(end - start, device.BlockSize);
        long done = 0;
        while (done < length)
        {
            var deviceOffset = segment.MapToDevice(start + done, out var contiguous);
            var piece = (int)Math.Min(contiguous, length - done);
            await device.ReadAsync(deviceOffset, buffer.Slice((int)done, piece), cancellationToken).ConfigureAwait(false);
            done += piece;
        }
    }

    /// <summary>Returns the segment index of the first chunk in the buffer whose CRC32C mismatches, or -1 if all match.</summary>
    public static int FindMismatch(DataSegment segment, int firstChunk, int count, ReadOnlySpan<byte> buffer, out uint actual)
    {
        for (var i = 0; i < count; i++)
        {
            var chunk = firstChunk + i;
            actual = Crc32C.Compute(buffer.Slice(i * segment.ChunkSize, segment.ChunkLength(chunk)));
            if (actual != segment.ChunkCrcs[chunk])
            {
                return chunk;
            }
        }

        actual = 0;
        return -1;
    }

    public static long RoundUp(long value, int blockSize) => (value + blockSize - 1) / blockSize * blockSize;
}
