using ComIO.Contracts.Nodes;
using ComIO.StorageNode.Configuration;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Scrubbing;
using Microsoft.Extensions.Options;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Operator routes of the internal API: node statistics and on-demand scrub.</summary>
public static class MaintenanceEndpoints
{
    public static RouteGroupBuilder MapMaintenanceEndpoints(this RouteGroupBuilder group)
    {
        // Totals over the node's devices; healthy = devices open, no checksum failures, no device I/O errors, last scrub clean.
        group.MapGet("/stats", (NodeEngines engines, ScrubState scrub, IOptions<NodeOptions> node) =>
        {
            if (!engines.IsOpen)
            {
                return Results.Json(new NodeStats(node.Value.Id, 0, 0, 0, 0, 0, false), ContractsJsonContext.Default.NodeStats);
            }

            var stats = engines.All.Select(e => e.GetStats()).ToList();
            var failures = stats.Sum(s => s.ChecksumFailures);
            return Results.Json(
                new NodeStats(node.Value.Id, stats.Sum(s => s.Capacity), stats.Sum(s => s.UsedBytes), stats.Sum(s => s.FreeBytes), stats.Sum(s => s.ObjectCount), failures,
                    failures == 0 && scrub.LastFindings.Count == 0 && engines.Devices.All(d => d.TotalErrors == 0)),
                ContractsJsonContext.Default.NodeStats);
        });

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
        return group;
    }
}
