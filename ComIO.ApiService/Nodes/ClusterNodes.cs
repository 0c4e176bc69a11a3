using ComIO.ApiService.Configuration;
using ComIO.ApiService.Placement;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Nodes;

/// <summary>The site's storage nodes and the placement over them. Immutable after start-up; shared by all requests.</summary>
public sealed class ClusterNodes
{
    public ClusterNodes(IOptions<ClusterOptions> options)
    {
        var nodes = options.Value.Nodes
            .Select(id => new StorageNodeInfo(id, new Uri(options.Value.NodeUrls.TryGetValue(id, out var url) ? url : $"http://{id}")))
            .ToList();
        if (nodes.Count == 0)
        {
            throw new InvalidConfigurationException("cluster.nodes (Cluster:Nodes): no storage nodes are configured.");
        }

        Placement = new RendezvousPlacement(nodes);
    }

    public RendezvousPlacement Placement { get; }

    public IReadOnlyList<StorageNodeInfo> All => Placement.Nodes;

    public StorageNodeInfo OwnerOf(string bucket, string key) => Placement.PrimaryFor(bucket, key);
}
