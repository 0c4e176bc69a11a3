using ComIO.ApiService.Admin;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Replication;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Replication;

/// <summary>
/// Resync/backfill of one bucket: every node queues the versions it holds again under the bucket's current replication
/// rules (their outbox entries are relayed and copied like new writes; applying is idempotent on the destination).
/// Versions already replicated are skipped unless asked; replicas and pending versions always are.
/// </summary>
public sealed class ReplicationResync(ClusterNodes cluster, StorageNodeClient nodes, BucketSettingsStore settingsStore, ReplicationPlanner planner, IOptions<ReplicationOptions> options)
{
    public async Task<ResyncView> RunAsync(string bucket, bool includeCompleted, CancellationToken ct)
    {
        var settings = await settingsStore.GetAsync(bucket, ct);
        var stored = settings[BucketSettingNames.Replication] ?? throw new S3Exception(S3ErrorCodes.ReplicationConfigurationNotFoundError);
        var rules = planner.Parse(stored).Rules
            .Where(r => r.Enabled)
            .Select(r => new ResyncRule(r.Prefix, [.. r.DestinationsIn(options.Value.Sites.Keys)]))
            .Where(r => r.Destinations.Count > 0)
            .ToList();
        if (rules.Count == 0)
        {
            return new ResyncView(bucket, 0, 0);
        }

        long queued = 0, skipped = 0;
        foreach (var node in cluster.All)
        {
            var result = (await nodes.ResyncAsync(node, bucket, new ResyncRequest(rules, includeCompleted), ct)).OrThrow()!;
            queued += result.Queued;
            skipped += result.Skipped;
        }

        return new ResyncView(bucket, queued, skipped);
    }
}
