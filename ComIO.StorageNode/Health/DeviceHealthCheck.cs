using ComIO.StorageNode.Engines;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComIO.StorageNode.Health;

/// <summary>Healthy when every device is open; reports capacity, used and free bytes and checksum failures per device.</summary>
public sealed class DeviceHealthCheck(NodeEngines engines) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!engines.IsOpen)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Devices are not open."));
        }

        var data = new Dictionary<string, object>();
        var healthy = true;
        for (var i = 0; i < engines.All.Count; i++)
        {
            var stats = engines.All[i].GetStats();
            data[$"device{i}.capacity_bytes"] = stats.Capacity;
            data[$"device{i}.used_bytes"] = stats.UsedBytes;
            data[$"device{i}.free_bytes"] = stats.FreeBytes;
            data[$"device{i}.objects"] = stats.ObjectCount;
            data[$"device{i}.checksum_failures"] = stats.ChecksumFailures;
        }

        return Task.FromResult(healthy
            ? HealthCheckResult.Healthy("All devices open.", data)
            : HealthCheckResult.Degraded("A device reports failures.", data: data));
    }
}
