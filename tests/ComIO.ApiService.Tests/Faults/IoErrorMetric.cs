using System.Diagnostics.Metrics;
using ComIO.StorageNode.Telemetry;

namespace ComIO.ApiService.Tests.Faults;

/// <summary>
/// Reads the node's <c>comio.node.device.io_errors</c> counter with a <see cref="MeterListener"/>. Other tests run storage
/// nodes in the same process at the same time, each with its own meter of that name, so a Prometheus scrape may show
/// another node's instrument; only the faulted node reports errors, so the largest observed value is this node's.
/// </summary>
internal static class IoErrorMetric
{
    public static long Largest(string operation)
    {
        long largest = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NodeMetrics.MeterName && instrument.Name == "comio.node.device.io_errors")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "comio.io.operation" && (string?)tag.Value == operation)
                {
                    largest = Math.Max(largest, value);
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return largest;
    }
}
