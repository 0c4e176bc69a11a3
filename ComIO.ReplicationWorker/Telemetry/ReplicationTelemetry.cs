using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ComIO.ReplicationWorker.Telemetry;

/// <summary>
/// The worker's activity source and meter (both named <see cref="Name"/>, exported by the service defaults) and its
/// instruments. Counters are tagged <c>destination</c> (site) and <c>operation</c> (<c>put</c>, <c>delete-marker</c>);
/// the queue gauges read the latest <see cref="QueueSnapshot"/> published by <see cref="QueueMetricsSampler"/>.
/// Thread-safe; one instance per process (a singleton).
/// </summary>
public sealed class ReplicationTelemetry : IDisposable
{
    public const string Name = "ComIO.Replication";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter _meter;
    private readonly Counter<long> _objects;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _deadLetters;
    private readonly Histogram<double> _duration;
    private volatile QueueSnapshot? _queue;

    public ReplicationTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _objects = _meter.CreateCounter<long>("comio.replication.objects", "{object}",
            "Changes applied to a destination (outcome: copied, already-present, source-gone, deleted)");
        _bytes = _meter.CreateCounter<long>("comio.replication.bytes", "By", "Object bytes copied to a destination");
        _failures = _meter.CreateCounter<long>("comio.replication.failures", "{failure}", "Failed attempts to apply an entry");
        _deadLetters = _meter.CreateCounter<long>("comio.replication.dead_letters", "{entry}", "Entries moved to the dead-letter stream");
        _duration = _meter.CreateHistogram<double>("comio.replication.duration", "s", "Time from reading an entry to its acknowledgement");
        _meter.CreateObservableGauge("comio.replication.queue.depth", () => Observe(q => q.Depth), "{entry}",
            "Stream entries not yet acknowledged (group pending + lag)");
        _meter.CreateObservableGauge("comio.replication.lag", () => Observe(q => q.OldestAge.TotalSeconds), "s",
            "Age of the oldest pending or undelivered entry");
        _meter.CreateObservableGauge("comio.replication.dead_letters.length", () => Observe(q => q.DeadLetterLength), "{entry}",
            "Entries in the dead-letter stream");
    }

    /// <summary>The latest queue figures (null until the first successful sample).</summary>
    public QueueSnapshot? Queue => _queue;

    public void PublishQueue(QueueSnapshot snapshot) => _queue = snapshot;

    public void RecordApplied(string destination, string operation, string outcome, long bytes)
    {
        var tags = new TagList { { "destination", destination }, { "operation", operation }, { "outcome", outcome } };
        _objects.Add(1, tags);
        if (bytes > 0)
        {
            _bytes.Add(bytes, new TagList { { "destination", destination }, { "operation", operation } });
        }
    }

    public void RecordFailure(string? destination, string operation) =>
        _failures.Add(1, new TagList { { "destination", destination ?? "none" }, { "operation", operation } });

    public void RecordDeadLetter(string operation) => _deadLetters.Add(1, new TagList { { "operation", operation } });

    public void RecordDuration(TimeSpan elapsed, string operation, string result) =>
        _duration.Record(elapsed.TotalSeconds, new TagList { { "operation", operation }, { "result", result } });

    private IEnumerable<Measurement<T>> Observe<T>(Func<QueueSnapshot, T> select) where T : struct =>
        _queue is { } queue ? [new Measurement<T>(select(queue), new KeyValuePair<string, object?>("site", queue.Site))] : [];

    public void Dispose() => _meter.Dispose();
}
