using ComIO.ApiService.Audit;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// Authenticates one request end to end: finds the secret of the access key it names (admin or stored user key),
/// verifies the SigV4 signature with it, and audits failures. Anonymous requests pass with no principal; authorization
/// decides what they may do. Shared by the S3 endpoint and the admin API.
/// </summary>
public sealed class RequestAuthenticator(SigV4Authenticator authenticator, CredentialResolver credentials, AuditLog audit)
{
    /// <exception cref="S3Exception">The signature, key or request time is wrong (already audited).</exception>
    public async Task<(AuthenticationResult Auth, Principal? Principal)> AuthenticateAsync(HttpContext context, string requestId)
    {
        var (auth, credential) = await AuthenticateAsync(context, requestId, identityNode: null);
        return (auth, credential?.Principal);
    }

    /// <summary>
    /// Authenticates a request whose object operation will call <paramref name="identityNode"/> (when not null): the
    /// caller's identity may then come from memory, and the credential carries the stamp the operation must be bound to
    /// (see <see cref="IdentityBinding"/>). The credential is null for an anonymous request.
    /// </summary>
    /// <exception cref="S3Exception">The signature, key or request time is wrong (already audited).</exception>
    public async Task<(AuthenticationResult Auth, ResolvedCredential? Credential)> AuthenticateAsync(HttpContext context, string requestId, Placement.StorageNodeInfo? identityNode)
    {
        var accessKeyId = SigV4Authenticator.PeekAccessKeyId(context);
        try
        {
            var resolved = accessKeyId is null ? null
                : identityNode is null ? await credentials.ResolveAsync(accessKeyId, context.RequestAborted)
                : await credentials.ResolveForNodeAsync(accessKeyId, identityNode, context.RequestAborted);
            var store = new InMemoryCredentialStore(resolved is null ? [] : [new(accessKeyId!, resolved.SecretKey)]);
            var auth = authenticator.Authenticate(context, store);
            return (auth, auth.IsAnonymous ? null : resolved);
        }
        catch (S3Exception e)
        {
            audit.AuthenticationFailed(accessKeyId, e.Error.Code, context.Connection.RemoteIpAddress?.ToString(), requestId);
            throw;
        }
    }
}
