using System.Collections.Concurrent;
using ComIO.ReplicationWorker.Processing;
using ComIO.ReplicationWorker.Queue;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>An <see cref="IEntryApplier"/> that takes <c>delay</c> per entry and records the highest number of entries applied at once.</summary>
public sealed class SlowApplier(TimeSpan delay) : IEntryApplier
{
    private int _running;
    private int _maxRunning;

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Running => Volatile.Read(ref _running);

    public ConcurrentQueue<string> Applied { get; } = new();

    public async Task ApplyAsync(ReplicationEntry entry, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        try
        {
            await Task.Delay(delay, cancellationToken);
            Applied.Enqueue(entry.Id);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
