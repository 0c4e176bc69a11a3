using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ComIO.Storage.Metadata;

/// <summary>
/// Multipart upload ids: the letter <c>u</c>, then 6 bytes of big-endian Unix milliseconds followed by 18 random bytes,
/// written 6 bits per character with the ASCII-ordered URL-safe alphabet <c>-0-9A-Z_a-z</c> (33 characters). Because
/// the alphabet is in ASCII order, ordinal order of ids is (initiation time, random) order, and the initiation time can
/// be read back. The leading letter keeps ids from starting with <c>-</c>, which command-line tools read as an option.
/// </summary>
internal static class UploadIds
{
    /// <summary>Length of every upload id in characters (and UTF-8 bytes).</summary>
    public const int Length = 33;

    private const char Prefix = 'u';

    private const string Alphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    public static string Create(DateTimeOffset now)
    {
        Span<byte> raw = stackalloc byte[24];
        var millis = Math.Max(0, now.ToUnixTimeMilliseconds());
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, millis);
        time[2..].CopyTo(raw);
        RandomNumberGenerator.Fill(raw[6..]);
        return string.Create(Length, raw.ToArray(), static (all, bytes) =>
        {
            all[0] = Prefix;
            var chars = all[1..];
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

    /// <summary>True if <paramref name="uploadId"/> has the shape of an id this engine issues.</summary>
    public static bool IsWellFormed(string? uploadId)
    {
        if (uploadId is null || uploadId.Length != Length || uploadId[0] != Prefix)
        {
            return false;
        }

        foreach (var c in uploadId.AsSpan(1))
        {
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The initiation time encoded in a well-formed id.</summary>
    public static DateTimeOffset InitiatedAt(string uploadId)
    {
        long millis = 0;
        for (var i = 0; i < 8; i++)
        {
            millis = (millis << 6) | (long)Alphabet.IndexOf(uploadId[i + 1], StringComparison.Ordinal);
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(millis);
    }
}
