using System.Security.Cryptography;
using System.Text;

namespace ComIO.ApiService.Encryption;

/// <summary>
/// Wraps an object's data key under a key-encryption key (master key, customer key) with AES-256-GCM: base64 of
/// <c>12-byte random nonce | 32-byte ciphertext | 16-byte tag</c>; the associated data binds the wrapped key to its
/// object and mode, so a wrapped key copied onto another object's record does not unwrap. Thread-safe (stateless).
/// </summary>
public static class KeyWrap
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    public const int DataKeyBytes = 32;

    public static string Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> dataKey, string context)
    {
        var output = new byte[NonceBytes + DataKeyBytes + TagBytes];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceBytes));
        using var aes = new AesGcm(kek, TagBytes);
        aes.Encrypt(output.AsSpan(0, NonceBytes), dataKey, output.AsSpan(NonceBytes, DataKeyBytes), output.AsSpan(NonceBytes + DataKeyBytes), Encoding.UTF8.GetBytes(context));
        return Convert.ToBase64String(output);
    }

    /// <summary>The data key, or null when <paramref name="wrapped"/> was not made by this key for this context.</summary>
    public static byte[]? Unwrap(ReadOnlySpan<byte> kek, string wrapped, string context)
    {
        var input = new byte[NonceBytes + DataKeyBytes + TagBytes + 3];
        if (!Convert.TryFromBase64String(wrapped, input, out var length) || length != NonceBytes + DataKeyBytes + TagBytes)
        {
            return null;
        }

        var dataKey = new byte[DataKeyBytes];
        try
        {
            using var aes = new AesGcm(kek, TagBytes);
            aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, DataKeyBytes), input.AsSpan(NonceBytes + DataKeyBytes, TagBytes), dataKey, Encoding.UTF8.GetBytes(context));
            return dataKey;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }
}
