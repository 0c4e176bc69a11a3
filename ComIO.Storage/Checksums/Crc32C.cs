using System.IO.Hashing;

namespace ComIO.Storage.Checksums;

/// <summary>CRC-32C (Castagnoli) used for per-chunk data integrity and on-disk structures. Thread-safe (stateless).</summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);
}
