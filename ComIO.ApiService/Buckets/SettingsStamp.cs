namespace ComIO.ApiService.Buckets;

/// <summary>
/// The owner node's bucket-settings stamp the request's settings were read under (see
/// <see cref="Contracts.Nodes.InternalApi.SettingsStampHeader"/>). Sent with the request's object operation, which the
/// node refuses when the stamp is no longer current; <see cref="Confirmed"/> is set once the node accepted it, i.e. the
/// settings the request was decided with were current when the operation ran.
/// </summary>
public sealed class SettingsStamp(string value, bool fromCache)
{
    public string Value { get; } = value;

    /// <summary>True when the settings came from the API service's memory rather than from the node during this request.</summary>
    public bool FromCache { get; } = fromCache;

    public bool Confirmed { get; set; }
}
