using ComIO.StorageNode.Engines;
using Microsoft.Extensions.Options;

namespace ComIO.StorageNode.Lifecycle;

/// <summary>
/// Runs the lifecycle scanner (<see cref="LifecycleScanner"/>) over every device of this node every
/// <see cref="LifecycleOptions.ScanInterval"/>, and on demand through the internal API (<c>POST /internal/v1/lifecycle/run</c>).
/// The scanner runs on the storage nodes, not in the API or the replication worker, because the node owns its keys:
/// it reads and deletes locally (no network hop per object), every key is handled by exactly one scanner, and the rules
/// are already on every node as a bucket setting. Rules are evaluated at the injected <see cref="TimeProvider"/>'s time
/// plus <see cref="LifecycleOptions.TimeOffset"/>. One scan at a time; totals go to <see cref="LifecycleState"/>.
/// </summary>
public sealed class NodeLifecycleService(NodeEngines engines, LifecycleState state, IOptionsMonitor<LifecycleOptions> options, TimeProvider time, ILogger<NodeLifecycleService> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>The time rules are evaluated at: the clock plus the configured offset.</summary>
    public DateTimeOffset Now => time.GetUtcNow() + options.CurrentValue.TimeOffset;

    /// <summary>Scans every device now (waiting for a running scan to finish first) and returns the combined report.</summary>
    public async Task<LifecycleScanReport> RunNowAsync(CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var settings = options.CurrentValue;
            var now = Now;
            var total = new LifecycleScanReport();
            foreach (var engine in engines.All)
            {
                var report = await new LifecycleScanner(engine, Math.Max(1, settings.PageSize), settings.MaxOperationsPerSecond).ScanAsync(now, ct);
                logger.LogInformation("Lifecycle scan of device {DeviceId}: {Scanned} scanned, {Expired} expired, {Aborted} uploads aborted, {Bytes} bytes freed",
                    engine.DeviceId, report.ObjectsScanned, report.Expired, report.UploadsAborted, report.BytesFreed);
                total.Add(report);
            }

            state.Record(total, time.GetUtcNow());
            return total;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.CurrentValue.ScanInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunNowAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduled lifecycle scan failed");
            }
        }
    }
}
