using System.Diagnostics.CodeAnalysis;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// Looks up the secret access key for an access key ID. Implementations must be thread-safe; the
/// authenticator calls <see cref="TryGetSecret"/> once per signed request.
/// </summary>
public interface ICredentialStore
{
    /// <summary>Returns <see langword="true"/> and the secret when <paramref name="accessKeyId"/> is known and enabled.</summary>
    bool TryGetSecret(string accessKeyId, [NotNullWhen(true)] out string? secretKey);
}
