namespace ComIO.ApiService.Buckets;

/// <summary>
/// The owner node's bucket-settings stamp the request's settings were read under (see
/// <see cref="Contracts.Nodes.InternalApi.SettingsStampHeader"/>), and the stamp of the caller's identity when it was
/// resolved for the same node (<see cref="Cover"/>). Sent with the request's object operation, which the node refuses
/// when either is no longer current; <see cref="Confirmed"/> is set once the node accepted them, i.e. the settings and
/// identity the request was decided with were current when the operation ran.
/// </summary>
public sealed class SettingsStamp(string value, bool fromCache)
{
    public string Value { get; } = value;

    /// <summary>True when the settings came from the API service's memory rather than from the node during this request.</summary>
    public bool FromCache { get; } = fromCache;

    /// <summary>The caller's identity stamp when it differs from <see cref="Value"/>; null otherwise.</summary>
    public string? IdentityValue { get; private set; }

    /// <summary>True when the caller's identity came from the API service's memory (see <see cref="Identity.CredentialResolver"/>).</summary>
    public bool IdentityFromCache { get; private set; }

    /// <summary>The header value the node checks: the settings stamp, and the identity stamp when it differs.</summary>
    public string HeaderValue => IdentityValue is null ? Value : Value + "," + IdentityValue;

    public bool Confirmed { get; set; }

    /// <summary>Makes the node also check the stamp <paramref name="identity"/> was read under.</summary>
    public void Cover(Identity.IdentityStamp identity)
    {
        IdentityValue = identity.Value == Value ? null : identity.Value;
        IdentityFromCache = identity.FromMemory;
    }
}
