using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using ComIO.Storage;
using ComIO.StorageNode.Endpoints;
using ComIO.StorageNode.Engines;

namespace ComIO.StorageNode.Replication;

/// <summary>
/// Internal replication routes: the worker's completion reports (for each, status on the version + outbox entry
/// removed, in one commit) and the resync that queues a bucket's existing versions again.
/// </summary>
public static class ReplicationEndpoints
{
    private const int ResyncPageSize = 1000;

    public static RouteGroupBuilder MapReplicationEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/replication/complete", async (HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            var batch = await ReadJsonAsync(request, ContractsJsonContext.Default.ReplicationCompletionBatch, ct);
            if (batch?.Completions is not { Count: > 0 and <= ReplicationCompletionBatch.MaxCount } completions || completions.Any(static c => c is null))
            {
                return Invalid($"Expected a ReplicationCompletionBatch of 1 to {ReplicationCompletionBatch.MaxCount} completions.");
            }

            var errors = await Task.WhenAll(completions.Select(completion => CompleteAsync(engines, completion, ct)));
            return Results.Json(new ReplicationCompletionResults([.. errors]), ContractsJsonContext.Default.ReplicationCompletionResults);
        });

        group.MapPost("/replication/resync/{bucket}", async (string bucket, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            var resync = await ReadJsonAsync(request, ContractsJsonContext.Default.ResyncRequest, ct);
            if (resync is null || resync.Rules.Count == 0 || resync.Rules.Any(r => r.Destinations.Count == 0))
            {
                return Invalid("Expected a ResyncRequest with at least one rule, each with destinations.");
            }

            if (engines.All.Count == 0 || engines.All[0].GetBucket(bucket) is null)
            {
                return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
            }

            long queued = 0, skipped = 0;
            foreach (var engine in engines.All)
            {
                var (q, s) = await ResyncAsync(engine, bucket, resync, ct);
                queued += q;
                skipped += s;
            }

            return Results.Json(new ResyncResult(queued, skipped), ContractsJsonContext.Default.ResyncResult);
        });

        return group;
    }

    /// <summary>Records one completion: null when recorded (or its bucket is gone), otherwise why it was not.</summary>
    private static async Task<NodeError?> CompleteAsync(NodeEngines engines, ReplicationCompletion report, CancellationToken ct)
    {
        if (report.Device < 0 || report.Device >= engines.All.Count
            || report.Status is not (ReplicationCompletion.StatusCompleted or ReplicationCompletion.StatusFailed)
            || string.IsNullOrEmpty(report.Bucket) || string.IsNullOrEmpty(report.Key))
        {
            return new NodeError(NodeStatus.InvalidRequest, "Expected a completion with a known device, a bucket, a key and status COMPLETED or FAILED.");
        }

        try
        {
            var status = await engines.All[report.Device].CompleteReplicationAsync(report.Sequence, report.Bucket, report.Key, report.VersionId, report.Status, ct);
            return status is EngineStatus.Ok or EngineStatus.NoSuchBucket ? null : new NodeError(status.ToString());
        }
        catch (ArgumentException e)
        {
            return new NodeError(NodeStatus.InvalidRequest, e.Message);
        }
    }

    /// <summary>Queues the versions of one device: every version matching a rule that is not a replica, not pending and (unless asked) not completed.</summary>
    private static async Task<(long Queued, long Skipped)> ResyncAsync(StorageEngine engine, string bucket, ResyncRequest resync, CancellationToken ct)
    {
        long queued = 0, skipped = 0;
        string? keyMarker = null, versionMarker = null;
        while (true)
        {
            var page = engine.ListObjectVersions(bucket, null, keyMarker, versionMarker, ResyncPageSize);
            foreach (var version in page.Versions)
            {
                var rule = resync.Rules.FirstOrDefault(r => version.Key.StartsWith(r.Prefix, StringComparison.Ordinal));
                var status = version.SystemMetadata.GetValueOrDefault(ReplicationStatus.MetadataName);
                if (rule is null || version.VersionId is null or "null" || status is ReplicationStatus.Replica or ReplicationStatus.Pending
                    || (status == ReplicationStatus.Completed && !resync.IncludeCompleted))
                {
                    skipped++;
                    continue;
                }

                var payload = ReplicationPayload.Encode(new ReplicationIntent(rule.Destinations))!;
                var (result, _) = await engine.EnqueueReplicationAsync(bucket, version.Key, version.VersionId, payload, ct);
                if (result == EngineStatus.Ok)
                {
                    queued++;
                }
                else
                {
                    skipped++; // removed since the listing
                }
            }

            if (!page.IsTruncated || page.Versions.Count == 0)
            {
                return (queued, skipped);
            }

            keyMarker = page.Versions[^1].Key;
            versionMarker = page.Versions[^1].VersionId;
        }
    }

    private static async Task<T?> ReadJsonAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo, CancellationToken ct)
    {
        try
        {
            return await request.ReadFromJsonAsync(typeInfo, ct);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            return default;
        }
    }

    private static IResult Invalid(string message) =>
        Results.Json(new NodeError(NodeStatus.InvalidRequest, message), ContractsJsonContext.Default.NodeError, statusCode: 400);
}
