namespace ComIO.ReplicationWorker.Configuration;

/// <summary>A destination site (<c>Replication:Sites:{name}</c>): where its S3 API answers.</summary>
public sealed class SiteEndpointOptions
{
    /// <summary>Absolute http(s) base URL of the site's S3 endpoint (path-style requests are sent to it).</summary>
    public Uri Endpoint { get; set; } = null!;
}
