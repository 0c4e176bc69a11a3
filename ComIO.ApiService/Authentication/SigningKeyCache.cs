using System.Collections.Concurrent;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// Caches derived SigV4 signing keys per (access key, date, region) so a request costs one HMAC for the signature
/// instead of five. Bounded: when full it is cleared (keys are cheap to re-derive). Thread-safe. An entry is only used
/// when the secret it was derived from is still the current one, so rotated secrets take effect immediately.
/// </summary>
internal sealed class SigningKeyCache
{
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<(string AccessKeyId, string Date, string Region), (string Secret, byte[] Key)> _entries = new();

    public byte[] GetOrDerive(string accessKeyId, string secret, string date, string region)
    {
        var cacheKey = (accessKeyId, date, region);
        if (_entries.TryGetValue(cacheKey, out var entry) && string.Equals(entry.Secret, secret, StringComparison.Ordinal))
        {
            return entry.Key;
        }

        var key = SigV4Crypto.DeriveSigningKey(secret, date, region, "s3");
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[cacheKey] = (secret, key);
        return key;
    }
}
