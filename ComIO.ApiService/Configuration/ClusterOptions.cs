namespace ComIO.ApiService.Configuration;

/// <summary>The site's storage nodes and the secret that authenticates calls to them (<c>Cluster__…</c>).</summary>
public sealed class ClusterOptions
{
    public const string SectionName = "Cluster";

    /// <summary>Node ids; each is also the service-discovery name (<c>http://{id}</c>) unless <see cref="NodeUrls"/> names an address.</summary>
    public List<string> Nodes { get; set; } = [];

    /// <summary>Optional explicit base address per node id (for deployments without service discovery).</summary>
    public Dictionary<string, string> NodeUrls { get; set; } = [];

    public string Secret { get; set; } = "";
}
