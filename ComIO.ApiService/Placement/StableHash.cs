using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace ComIO.ApiService.Placement;

/// <summary>
/// A 64-bit hash of byte strings that is identical on every process, platform and .NET version (unlike
/// <see cref="string.GetHashCode()"/>): little-endian 8-byte words folded with multiply/rotate, then a full avalanche
/// finaliser. Not cryptographic; used only to spread placement. Pure and thread-safe.
/// </summary>
internal static class StableHash
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;
    private const int StackLimit = 1536;

    /// <summary>Hashes <paramref name="data"/> with <paramref name="seed"/>.</summary>
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed)
    {
        var h = seed + Prime3 + ((ulong)data.Length * Prime1);
        while (data.Length >= 8)
        {
            var word = BinaryPrimitives.ReadUInt64LittleEndian(data);
            h ^= BitOperations.RotateLeft(word * Prime2, 31) * Prime1;
            h = (BitOperations.RotateLeft(h, 27) * Prime1) + Prime3;
            data = data[8..];
        }

        if (!data.IsEmpty)
        {
            ulong tail = 0;
            for (var i = data.Length - 1; i >= 0; i--)
            {
                tail = (tail << 8) | data[i];
            }

            h ^= BitOperations.RotateLeft(tail * Prime2, 31) * Prime1;
            h = (BitOperations.RotateLeft(h, 27) * Prime1) + Prime3;
        }

        return Mix(h);
    }

    /// <summary>Hashes the UTF-8 form of <paramref name="first"/> and, when given, a 0x00 separator and <paramref name="second"/>.</summary>
    public static ulong HashStrings(string first, string? second, ulong seed)
    {
        // S3 keys are at most 1,024 UTF-8 bytes and bucket names 63, so real inputs fit the stack buffer.
        var total = Encoding.UTF8.GetByteCount(first) + (second is null ? 0 : 1 + Encoding.UTF8.GetByteCount(second));
        var rented = total <= StackLimit ? null : ArrayPool<byte>.Shared.Rent(total);
        Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
        var length = Encoding.UTF8.GetBytes(first, buffer);
        if (second is not null)
        {
            buffer[length++] = 0;
            length += Encoding.UTF8.GetBytes(second, buffer[length..]);
        }

        var hash = Hash(buffer[..length], seed);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return hash;
    }

    /// <summary>The MurmurHash3 64-bit finaliser: a bijection in which every input bit affects every output bit.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }
}
