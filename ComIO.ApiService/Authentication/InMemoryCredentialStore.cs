using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// An immutable <see cref="ICredentialStore"/> over a fixed set of access key ID / secret pairs
/// (admin keys from configuration, tests). Thread-safe.
/// </summary>
public sealed class InMemoryCredentialStore : ICredentialStore
{
    private readonly FrozenDictionary<string, string> _secrets;

    public InMemoryCredentialStore(IEnumerable<KeyValuePair<string, string>> credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _secrets = credentials.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public bool TryGetSecret(string accessKeyId, [NotNullWhen(true)] out string? secretKey)
        => _secrets.TryGetValue(accessKeyId, out secretKey);
}
