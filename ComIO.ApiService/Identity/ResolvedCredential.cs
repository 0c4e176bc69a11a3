namespace ComIO.ApiService.Identity;

/// <summary>An access key's secret and the principal it authenticates. Held only for the request being authenticated.</summary>
public sealed record ResolvedCredential(string SecretKey, Principal Principal);
