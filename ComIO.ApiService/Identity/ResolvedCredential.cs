namespace ComIO.ApiService.Identity;

/// <summary>
/// An access key's secret and the principal it authenticates; with <see cref="Stamp"/> when it was resolved for one
/// node's object operation (see <see cref="CredentialResolver.ResolveForNodeAsync"/>). Held for the request being
/// authenticated, and for hot object operations by the resolver's memory.
/// </summary>
public sealed record ResolvedCredential(string SecretKey, Principal Principal, IdentityStamp? Stamp = null);
