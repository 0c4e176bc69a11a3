using ComIO.Storage.Checksums;
using ComIO.Storage.Devices;

namespace ComIO.Storage.Objects;

/// <summary>Reads whole chunks of an extent-backed object into an aligned buffer and verifies their CRC32C.</summary>
internal static class ChunkReader
{
    /// <summary>
    /// Reads chunks <c>[firstChunk, firstChunk + count)</c> into <paramref name="buffer"/> (chunk i at
    /// <c>(i - firstChunk) * ChunkSize</c>) with as few device reads as the extents allow.
    /// </summary>
    public static async ValueTask ReadAsync(IBlockDevice device, ObjectRecord record, int firstChunk, int count, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var chunkSize = record.ChunkSize;
        var start = (long)firstChunk * chunkSize;
        var end = Math.Min(record.Size, (long)(firstChunk + count) * chunkSize);
        var length = RoundUp(end - start, device.BlockSize);
        long done = 0;
        while (done < length)
        {
            var deviceOffset = record.MapToDevice(start + done, out var contiguous);
            var segment = (int)Math.Min(contiguous, length - done);
            await device.ReadAsync(deviceOffset, buffer.Slice((int)done, segment), cancellationToken).ConfigureAwait(false);
            done += segment;
        }
    }

    /// <summary>Returns the index of the first chunk in the buffer whose CRC32C mismatches, or -1 if all match.</summary>
    public static int FindMismatch(ObjectRecord record, int firstChunk, int count, ReadOnlySpan<byte> buffer, out uint actual)
    {
        for (var i = 0; i < count; i++)
        {
            var chunk = firstChunk + i;
            var length = ChunkLength(record, chunk);
            actual = Crc32C.Compute(buffer.Slice(i * record.ChunkSize, length));
            if (actual != record.ChunkCrcs[chunk])
            {
                return chunk;
            }
        }

        actual = 0;
        return -1;
    }

    public static int ChunkLength(ObjectRecord record, int chunk) => (int)Math.Min(record.ChunkSize, record.Size - ((long)chunk * record.ChunkSize));

    public static long RoundUp(long value, int blockSize) => (value + blockSize - 1) / blockSize * blockSize;
}
