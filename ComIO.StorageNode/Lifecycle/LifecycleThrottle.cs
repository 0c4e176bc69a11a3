using System.Diagnostics;

namespace ComIO.StorageNode.Lifecycle;

/// <summary>
/// Paces lifecycle mutations to at most a fixed number per second (wall-clock, independent of the lifecycle time offset).
/// Not thread-safe: one per scan.
/// </summary>
public sealed class LifecycleThrottle(int operationsPerSecond)
{
    private readonly long _interval = operationsPerSecond <= 0 ? 0 : Stopwatch.Frequency / operationsPerSecond;
    private long _next = Stopwatch.GetTimestamp();

    /// <summary>Waits until the next operation may run.</summary>
    public async ValueTask WaitAsync(CancellationToken ct)
    {
        if (_interval == 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (_next > now)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(now, _next), ct);
            now = _next;
        }

        _next = Math.Max(_next, now) + _interval;
    }
}
