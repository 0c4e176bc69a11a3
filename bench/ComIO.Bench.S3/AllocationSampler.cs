using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ComIO.Bench.S3;

/// <summary>
/// Diagnostic: while alive, tallies the runtime's allocation ticks (one event per ~100 KB allocated, naming the type of
/// the object that crossed the mark) by type, so a cell's allocations can be attributed. Enabled by the environment
/// variable <c>COMIO_BENCH_ALLOC_TYPES=1</c>; sampled, so only the larger shares are meaningful.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const int GcAllocationTickEventId = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);

    public static bool Enabled => Environment.GetEnvironmentVariable("COMIO_BENCH_ALLOC_TYPES") == "1";

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId != GcAllocationTickEventId || eventData.Payload is null || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? eventData.Payload[t] as string ?? "?" : "?";
        var amount = eventData.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(eventData.Payload[a], System.Globalization.CultureInfo.InvariantCulture) : 0;
        _bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }

    /// <summary>Writes the top types with their share of the sampled bytes and their bytes per operation to stderr.</summary>
    public void Report(string cell, long operations, int top = 25)
    {
        var total = _bytesByType.Values.Sum();
        Console.Error.WriteLine($"allocations by type, {cell}: {total / Math.Max(1, operations)} B/op sampled");
        foreach (var (type, bytes) in _bytesByType.OrderByDescending(p => p.Value).Take(top))
        {
            Console.Error.WriteLine($"  {bytes * 100.0 / Math.Max(1, total),5:F1} %  {bytes / Math.Max(1, operations),7} B/op  {type}");
        }
    }
}
