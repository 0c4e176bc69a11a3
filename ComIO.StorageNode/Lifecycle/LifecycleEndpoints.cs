using ComIO.Contracts.Nodes;

namespace ComIO.StorageNode.Lifecycle;

/// <summary>Internal API route that runs a lifecycle scan now (behind the cluster-secret filter like every internal route).</summary>
public static class LifecycleEndpoints
{
    /// <summary>
    /// <c>POST lifecycle/run</c>: scans every device of the node and answers the totals as JSON
    /// (<see cref="LifecycleRunSummary"/>).
    /// </summary>
    public static RouteGroupBuilder MapLifecycleEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/lifecycle/run", async (NodeLifecycleService service, CancellationToken ct) =>
        {
            var report = await service.RunNowAsync(ct);
            return Results.Json(
                new LifecycleRunSummary(report.ObjectsScanned, report.CurrentExpired, report.NoncurrentExpired, report.DeleteMarkersRemoved, report.UploadsAborted, report.BytesFreed),
                ContractsJsonContext.Default.LifecycleRunSummary);
        });
        return group;
    }
}
