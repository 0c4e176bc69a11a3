using ComIO.Contracts.Nodes;
using ComIO.StorageNode.Scrubbing;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Operator routes of the internal API: on-demand scrub.</summary>
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
        return group;
    }
}
