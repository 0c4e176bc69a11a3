using System.Diagnostics.Metrics;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>
/// Counts the HTTP requests this process sends to the given storage nodes (by port, from System.Net.Http's
/// <c>http.client.request.duration</c> measurements) from construction until disposal.
/// </summary>
public sealed class NodeCallCounter : IDisposable
{
    private readonly MeterListener _listener;
    private int _calls;

    public NodeCallCounter(IEnumerable<Uri> nodeAddresses)
    {
        var ports = nodeAddresses.Select(a => a.Port).ToHashSet();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int port && ports.Contains(port))
                {
                    Interlocked.Increment(ref _calls);
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Node calls counted so far.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public void Dispose() => _listener.Dispose();
}
