namespace ComIO.ReplicationWorker.Configuration;

/// <summary>
/// The worker's own site (<c>Site:Name</c>: whose stream it reads, the <c>x-comio-replica-source</c> it sends) and the
/// secret its completion reports carry to the storage nodes (<c>Cluster:Secret</c>, never logged).
/// </summary>
public sealed class LocalSiteOptions
{
    public string Name { get; set; } = "local";

    public string? ClusterSecret { get; set; }

    public static void Read(IConfiguration configuration, LocalSiteOptions options)
    {
        options.Name = string.IsNullOrWhiteSpace(configuration["Site:Name"]) ? options.Name : configuration["Site:Name"]!.Trim();
        options.ClusterSecret = configuration["Cluster:Secret"] ?? options.ClusterSecret;
    }
}
