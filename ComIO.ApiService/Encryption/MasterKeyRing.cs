using System.Security.Cryptography;

namespace ComIO.ApiService.Encryption;

/// <summary>
/// The master keys that wrap SSE-S3 data keys: the current one (new objects) and earlier ones (reads only). A key is
/// named by its id, <c>mk-</c> + the first 16 hex digits of SHA-256 of the key, stored with each object so a rotation
/// never makes old objects unreadable. Keys come from configuration or a key file, never from source. Thread-safe.
/// </summary>
public sealed class MasterKeyRing
{
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public MasterKeyRing(EncryptionOptions options)
    {
        var current = options.MasterKey;
        if (string.IsNullOrWhiteSpace(current) && !string.IsNullOrWhiteSpace(options.MasterKeyFile))
        {
            try
            {
                current = File.ReadAllText(options.MasterKeyFile).Trim();
            }
            catch (IOException e)
            {
                throw new InvalidConfigurationException($"encryption.master_key_file (Encryption:MasterKeyFile) cannot be read: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new InvalidConfigurationException($"encryption.master_key_file (Encryption:MasterKeyFile) cannot be read: {e.Message}");
            }
        }

        if (!string.IsNullOrWhiteSpace(current))
        {
            var key = Parse(current, "encryption.master_key (Encryption:MasterKey)");
            CurrentId = IdOf(key);
            _keys[CurrentId] = key;
        }

        foreach (var previous in options.PreviousMasterKeys)
        {
            var key = Parse(previous, "encryption.previous_master_keys (Encryption:PreviousMasterKeys)");
            _keys.TryAdd(IdOf(key), key);
        }
    }

    /// <summary>The id of the key new objects use; null when no master key is configured (SSE-S3 then answers NotImplemented).</summary>
    public string? CurrentId { get; }

    public byte[] Current => CurrentId is { } id ? _keys[id] : throw new InvalidOperationException("No master key is configured.");

    /// <summary>The master key with this id, or null when it is not (or no longer) configured.</summary>
    public byte[]? Find(string id) => _keys.GetValueOrDefault(id);

    public static string IdOf(ReadOnlySpan<byte> key) => "mk-" + Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    private static byte[] Parse(string base64, string name)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            key = [];
        }

        return key.Length == 32
            ? key
            : throw new InvalidConfigurationException($"{name} must be the base64 of 32 random bytes (e.g. `openssl rand -base64 32`).");
    }
}
