using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Scrubbing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComIO.StorageNode.Health;

/// <summary>
/// Healthy when every device is open and neither reads nor the last scrub found corrupt chunks (Degraded otherwise);
/// reports capacity, used and free bytes, objects and checksum failures per device.
/// </summary>
public sealed class DeviceHealthCheck(NodeEngines engines, ScrubState scrub) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!engines.IsOpen)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Devices are not open."));
        }

        var data = new Dictionary<string, object>();
        var healthy = scrub.LastFindings.Count == 0;
        data["scrub.last_findings"] = scrub.LastFindings.Count;
        data["scrub.last_completed"] = scrub.LastCompleted?.ToString("O") ?? "never";
        for (var i = 0; i < engines.All.Count; i++)
        {
            var stats = engines.All[i].GetStats();
            data[$"device{i}.capacity_bytes"] = stats.Capacity;
            data[$"device{i}.used_bytes"] = stats.UsedBytes;
            data[$"device{i}.free_bytes"] = stats.FreeBytes;
            data[$"device{i}.objects"] = stats.ObjectCount;
            data[$"device{i}.checksum_failures"] = stats.ChecksumFailures;
            healthy &= stats.ChecksumFailures == 0;
        }

        return Task.FromResult(healthy
            ? HealthCheckResult.Healthy("All devices open.", data)
            : HealthCheckResult.Degraded("Corrupt chunks were detected (reads or scrub); see the node's logs for the extents.", data: data));
    }
}
