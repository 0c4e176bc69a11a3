using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ComIO.Storage.Metadata;

/// <summary>
/// Object version ids: 32 characters of the ASCII-ordered URL-safe alphabet <c>-0-9A-Z_a-z</c>, 6 bits each, encoding
/// 24 bytes: 8 bytes big-endian of <c>long.MaxValue - stamp</c> (stamp = microseconds since the Unix epoch, strictly
/// increasing per engine) then 16 random bytes. Because the stamp is inverted, ordinal id order is newest first, so a
/// key's versions stored under <c>v\0bucket\0key\0id</c> are already in S3 order. The first character encodes the top
/// 6 bits of a positive number (0 then five 1 bits for centuries to come: 'U'), so ids never start with '-'.
/// The public id <c>"null"</c> names the null version; internally it too has a 32-character slot id.
/// </summary>
internal static class VersionIds
{
    /// <summary>Length of every version id in characters (and UTF-8 bytes).</summary>
    public const int Length = 32;

    /// <summary>The public id of the null version.</summary>
    public const string Null = "null";

    private const string Alphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// <summary>Microseconds since the Unix epoch of <paramref name="time"/>.</summary>
    public static long StampOf(DateTimeOffset time) => Math.Max(0, (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);

    public static string Create(long stamp)
    {
        var raw = new byte[24];
        BinaryPrimitives.WriteInt64BigEndian(raw, long.MaxValue - Math.Max(0, stamp));
        RandomNumberGenerator.Fill(raw.AsSpan(8));
        return string.Create(Length, raw, static (chars, bytes) =>
        {
            for (var i = 0; i < 8; i++)
            {
                var group = (bytes[i * 3] << 16) | (bytes[(i * 3) + 1] << 8) | bytes[(i * 3) + 2];
                chars[i * 4] = Alphabet[(group >> 18) & 63];
                chars[(i * 4) + 1] = Alphabet[(group >> 12) & 63];
                chars[(i * 4) + 2] = Alphabet[(group >> 6) & 63];
                chars[(i * 4) + 3] = Alphabet[group & 63];
            }
        });
    }

    /// <summary>The stamp encoded in a well-formed (non-"null") id.</summary>
    public static long StampOf(string versionId)
    {
        Span<byte> raw = stackalloc byte[9];
        for (var i = 0; i < 3; i++)
        {
            var group = 0;
            for (var j = 0; j < 4; j++)
            {
                group = (group << 6) | Alphabet.IndexOf(versionId[(i * 4) + j], StringComparison.Ordinal);
            }

            raw[i * 3] = (byte)(group >> 16);
            raw[(i * 3) + 1] = (byte)(group >> 8);
            raw[(i * 3) + 2] = (byte)group;
        }

        return long.MaxValue - BinaryPrimitives.ReadInt64BigEndian(raw);
    }

    /// <summary>True if <paramref name="versionId"/> is "null" or has the shape of an id this engine issues.</summary>
    public static bool IsWellFormed(string? versionId)
    {
        if (versionId == Null)
        {
            return true;
        }

        if (versionId is null || versionId.Length != Length)
        {
            return false;
        }

        foreach (var c in versionId)
        {
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
