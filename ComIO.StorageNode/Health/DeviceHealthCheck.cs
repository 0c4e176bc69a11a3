using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Scrubbing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ComIO.StorageNode.Health;

/// <summary>
/// Healthy when every device is open and neither reads nor the last scrub found corrupt chunks (Degraded otherwise);
/// Unhealthy when a device returned I/O errors (EIO on read, write or flush) since the node started. Reports capacity,
/// used and free bytes, objects, checksum failures and I/O errors per device.
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
        var failing = new List<string>();
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
            if (i < engines.Devices.Count)
            {
                var device = engines.Devices[i];
                data[$"device{i}.io_errors"] = device.TotalErrors;
                if (device.TotalErrors > 0)
                {
                    failing.Add($"device{i} ({device.Path}): {device.ReadErrors} read, {device.WriteErrors} write, {device.FlushErrors} flush errors; last: {device.LastError}");
                }
            }
        }

        if (failing.Count > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Device I/O errors: " + string.Join("; ", failing), data: data));
        }

        return Task.FromResult(healthy
            ? HealthCheckResult.Healthy("All devices open.", data)
            : HealthCheckResult.Degraded("Corrupt chunks were detected (reads or scrub); see the node's logs for the extents.", data: data));
    }
}
