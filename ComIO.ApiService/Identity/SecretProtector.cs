using System.Security.Cryptography;
using System.Text;

namespace ComIO.ApiService.Identity;

/// <summary>
/// Encrypts secret access keys for storage with AES-256-GCM under the configured key (<c>Auth:SecretEncryptionKey</c>).
/// Format: <c>v1:</c> + base64(12-byte nonce | ciphertext | 16-byte tag); the access key id is the associated data, so a
/// ciphertext copied onto another key's record does not decrypt. Thread-safe.
/// </summary>
public sealed class SecretProtector
{
    private const string Prefix = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;

    public SecretProtector(string base64Key)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64Key ?? "");
        }
        catch (FormatException)
        {
            key = [];
        }

        if (key.Length != 32)
        {
            throw new InvalidConfigurationException("auth.secret_encryption_key (Auth:SecretEncryptionKey) must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
        }

        _key = key;
    }

    public string Protect(string accessKeyId, string secret)
    {
        var plaintext = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        var nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length), output.AsSpan(NonceBytes + plaintext.Length), Encoding.UTF8.GetBytes(accessKeyId));
        return Prefix + Convert.ToBase64String(output);
    }

    /// <summary>The secret, or null when the value was not produced by this key for this access key id.</summary>
    public string? Unprotect(string accessKeyId, string protectedSecret)
    {
        if (!protectedSecret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        byte[] input;
        try
        {
            input = Convert.FromBase64String(protectedSecret[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (input.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var length = input.Length - NonceBytes - TagBytes;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(input.AsSpan(0, NonceBytes), input.AsSpan(NonceBytes, length), input.AsSpan(NonceBytes + length), plaintext, Encoding.UTF8.GetBytes(accessKeyId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plaintext);
    }
}
