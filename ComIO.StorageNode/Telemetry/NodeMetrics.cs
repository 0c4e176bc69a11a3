using System.Diagnostics.Metrics;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Lifecycle;
using ComIO.StorageNode.Scrubbing;

namespace ComIO.StorageNode.Telemetry;

/// <summary>
/// Capacity, usage, scrub and lifecycle gauges per device (Meter <c>ComIO.StorageNode</c>), read from the engines when scraped.
/// </summary>
public sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "ComIO.StorageNode";
    private readonly Meter _meter;

    public NodeMetrics(NodeEngines engines, ScrubState scrub, LifecycleState lifecycle)
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableGauge("comio.node.device.capacity", () => PerDevice(engines, s => s.Capacity), "By", "Device capacity.");
        _meter.CreateObservableGauge("comio.node.device.used", () => PerDevice(engines, s => s.UsedBytes), "By", "Bytes allocated to objects.");
        _meter.CreateObservableGauge("comio.node.device.free", () => PerDevice(engines, s => s.FreeBytes), "By", "Bytes free for new objects.");
        _meter.CreateObservableGauge("comio.node.device.objects", () => PerDevice(engines, s => s.ObjectCount), "{object}", "Objects stored.");
        _meter.CreateObservableCounter("comio.node.device.io_errors", () => IoErrors(engines), "{error}", "I/O errors (EIO) returned by the device, by operation.");
        _meter.CreateObservableCounter("comio.node.scrub.findings", () => scrub.TotalFindings, "{chunk}", "Chunks that failed verification during scrubs.");
        _meter.CreateObservableCounter("comio.node.scrub.bytes_verified", () => scrub.TotalBytesVerified, "By", "Bytes re-read and verified by scrubs.");
        _meter.CreateObservableCounter("comio.node.lifecycle.objects_scanned", () => lifecycle.ObjectsScanned, "{object}", "Versions, delete markers and uploads examined by lifecycle scans.");
        _meter.CreateObservableCounter("comio.node.lifecycle.objects_expired", () => lifecycle.Expired, "{object}", "Versions and delete markers expired by lifecycle rules.");
        _meter.CreateObservableCounter("comio.node.lifecycle.uploads_aborted", () => lifecycle.UploadsAborted, "{upload}", "Incomplete multipart uploads aborted by lifecycle rules.");
        _meter.CreateObservableCounter("comio.node.lifecycle.bytes_freed", () => lifecycle.BytesFreed, "By", "Device bytes released by lifecycle actions.");
        _meter.CreateObservableGauge("comio.node.lifecycle.last_run", () => lifecycle.LastRunUnixSeconds, "s", "Unix time of the last finished lifecycle scan (0 = never).");
    }

    private static IEnumerable<Measurement<long>> PerDevice(NodeEngines engines, Func<Storage.EngineStats, long> value)
    {
        var all = engines.All;
        for (var i = 0; i < all.Count; i++)
        {
            yield return new Measurement<long>(value(all[i].GetStats()), new KeyValuePair<string, object?>("comio.device.index", i));
        }
    }

    private static IEnumerable<Measurement<long>> IoErrors(NodeEngines engines)
    {
        var all = engines.Devices;
        for (var i = 0; i < all.Count; i++)
        {
            var index = new KeyValuePair<string, object?>("comio.device.index", i);
            yield return new Measurement<long>(all[i].ReadErrors, index, new KeyValuePair<string, object?>("comio.io.operation", "read"));
            yield return new Measurement<long>(all[i].WriteErrors, index, new KeyValuePair<string, object?>("comio.io.operation", "write"));
            yield return new Measurement<long>(all[i].FlushErrors, index, new KeyValuePair<string, object?>("comio.io.operation", "flush"));
        }
    }

    public void Dispose() => _meter.Dispose();
}
