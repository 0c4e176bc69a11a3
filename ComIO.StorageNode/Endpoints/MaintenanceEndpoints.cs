using ComIO.Contracts.Nodes;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Scrubbing;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Operator routes of the internal API: on-demand scrub and the node's stats (the admin API's cluster status).</summary>
public static class MaintenanceEndpoints
{
    public static RouteGroupBuilder MapMaintenanceEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/scrub", async (NodeScrubber scrubber, CancellationToken ct) =>
        {
            var reports = await scrubber.ScrubNowAsync(ct);
            var findings = reports.SelectMany(r => r.Findings)
                .Select(f => new ScrubIssue(f.Bucket, f.Key, f.ChunkIndex, f.DeviceOffset, f.Problem))
                .ToList();
            return Results.Json(
                new ScrubSummary(reports.Sum(r => r.ObjectsScanned), reports.Sum(r => r.BytesVerified), findings),
                ContractsJsonContext.Default.ScrubSummary);
        });
        group.MapGet("/stats", (NodeEngines engines, ScrubState scrub, Microsoft.Extensions.Options.IOptions<Configuration.NodeOptions> node) =>
        {
            var all = engines.All.Select(e => e.GetStats()).ToList();
            var failures = all.Sum(s => s.ChecksumFailures);
            return Results.Json(
                new NodeStats(node.Value.Id, all.Sum(s => s.Capacity), all.Sum(s => s.UsedBytes), all.Sum(s => s.FreeBytes), all.Sum(s => s.ObjectCount), failures,
                    engines.IsOpen && failures == 0 && scrub.LastFindings.Count == 0),
                ContractsJsonContext.Default.NodeStats);
        });
        return group;
    }
}
