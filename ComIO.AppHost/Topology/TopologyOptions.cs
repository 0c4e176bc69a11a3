namespace ComIO.AppHost.Topology;

/// <summary>
/// The topology the AppHost starts, bound from the <c>ComIO</c> configuration section (appsettings.json,
/// environment <c>ComIO__…</c> or command-line <c>--ComIO:…</c>).
/// </summary>
public sealed class TopologyOptions
{
    public const string SectionName = "ComIO";

    /// <summary>Folder holding device images, node metadata and Redis data; relative paths are relative to the AppHost project folder.</summary>
    public string DataDirectory { get; set; } = "../data";

    public List<SiteOptions> Sites { get; set; } = [];
}

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
}
