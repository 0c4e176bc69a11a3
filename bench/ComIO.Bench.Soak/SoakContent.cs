using System.Buffers.Binary;

namespace ComIO.Bench.Soak;

/// <summary>
/// The bytes of a soak object as a pure function of (seed, offset): word <c>i</c> (8 bytes, little-endian) is
/// SplitMix64 of <c>seed + i</c>. A client regenerates any range to verify a GET byte for byte without keeping what it
/// wrote in memory.
/// </summary>
internal static class SoakContent
{
    public static void Fill(Span<byte> destination, ulong seed, long offset)
    {
        Span<byte> word = stackalloc byte[8];
        var index = offset / 8;
        var skip = (int)(offset % 8);
        var written = 0;
        while (written < destination.Length)
        {
            var value = Mix(seed + (ulong)index);
            if (skip == 0 && destination.Length - written >= 8)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(destination[written..], value);
                written += 8;
            }
            else
            {
                BinaryPrimitives.WriteUInt64LittleEndian(word, value);
                var take = Math.Min(8 - skip, destination.Length - written);
                word.Slice(skip, take).CopyTo(destination[written..]);
                written += take;
                skip = 0;
            }

            index++;
        }
    }

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
