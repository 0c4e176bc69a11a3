using ComIO.ApiService.Configuration;
using ComIO.ApiService.Placement;
using ComIO.ApiService.Protocol.Errors;
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

    /// <summary>
    /// For records every node holds (bucket settings, identities): the answer of the first node that answers, asking
    /// the nodes in turn; a node that is down is skipped. ServiceUnavailable when none answers.
    /// </summary>
    public async Task<NodeResult<T>> FirstAnswerAsync<T>(Func<StorageNodeInfo, Task<NodeResult<T>>> call)
    {
        HttpRequestException? lastFailure = null;
        foreach (var node in All)
        {
            try
            {
                return await call(node);
            }
            catch (HttpRequestException e)
            {
                lastFailure = e;
            }
        }

        throw new S3Exception(S3ErrorCode.ServiceUnavailable, "No storage node answered.", lastFailure);
    }

    /// <summary>For records every node holds: runs the write on every node; throws the first node's error unless all succeeded.</summary>
    public async Task OnEveryNodeAsync(Func<StorageNodeInfo, Task<NodeResult<bool>>> write)
    {
        var results = await Task.WhenAll(All.Select(write));
        if (results.FirstOrDefault(r => !r.IsSuccess) is { Error: { } error })
        {
            throw NodeErrorMapper.ToS3(error);
        }
    }
}
