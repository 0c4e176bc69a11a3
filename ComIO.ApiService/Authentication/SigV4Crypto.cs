using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ComIO.ApiService.Authentication;

/// <summary>SigV4 primitives: signing-key derivation, HMAC of UTF-8 text, SHA-256 hex. Thread-safe (no state).</summary>
internal static class SigV4Crypto
{
    /// <summary>Lower-case hex SHA-256 of the empty string.</summary>
    public const string EmptySha256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] DeriveSigningKey(string secret, string date, string region, string service)
    {
        var secretBytes = Encoding.UTF8.GetBytes("AWS4" + secret);
        Span<byte> key = stackalloc byte[32];
        HmacUtf8(secretBytes, date, key);
        HmacUtf8(key, region, key);
        HmacUtf8(key, service, key);
        HmacUtf8(key, "aws4_request", key);
        CryptographicOperations.ZeroMemory(secretBytes);
        return key.ToArray();
    }

    /// <summary>Writes HMAC-SHA256(key, UTF-8(text)) into <paramref name="destination"/> (32 bytes; may alias <paramref name="key"/>).</summary>
    public static void HmacUtf8(ReadOnlySpan<byte> key, string text, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = max <= 512 ? null : ArrayPool<byte>.Shared.Rent(max);
        Span<byte> buffer = rented ?? stackalloc byte[512];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, buffer[..length], mac);
        mac.CopyTo(destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Lower-case hex SHA-256 of UTF-8(text).</summary>
    public static string Sha256Hex(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexStringLower(hash);
    }
}
