namespace ComIO.AppHost.Topology;

/// <summary>
/// One site of the topology: <c>ComIO:Sites:N:*</c> in appsettings.json, or an item of the YAML file's <c>sites</c>
/// list (<c>name</c>, <c>s3_port</c>, <c>redis_port</c>, <c>nodes</c>, <c>device_size_mib</c>, <c>device_paths</c>,
/// <c>api_replicas</c>).
/// </summary>
public sealed class SiteOptions
{
    /// <summary>Site name: lower-case letters, digits and hyphens; prefixes every resource of the site.</summary>
    public string Name { get; set; } = "east";

    /// <summary>Fixed port of the site's S3 endpoint.</summary>
    public int S3Port { get; set; } = 8080;

    /// <summary>Number of API service replicas behind the S3 port.</summary>
    public int ApiReplicas { get; set; } = 1;

    /// <summary>Fixed loopback port of the site's Redis.</summary>
    public int RedisPort { get; set; } = 6390;

    /// <summary>Number of storage nodes in the site.</summary>
    public int Nodes { get; set; } = 2;

    /// <summary>Size of each node's device image when the AppHost creates it.</summary>
    public long DeviceSizeMiB { get; set; } = 4096;

    /// <summary>
    /// Optional explicit device path per node (index = node number - 1), e.g. a raw block device. Unset entries
    /// use a sparse image file under the data folder.
    /// </summary>
    public List<string> DevicePaths { get; set; } = [];

    /// <summary>Sites this site may replicate to (YAML <c>replicate_to</c>); empty = every other site.</summary>
    public List<string> ReplicateTo { get; set; } = [];
}
