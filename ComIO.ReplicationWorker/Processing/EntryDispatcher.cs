using System.Collections.Concurrent;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Queue;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Processing;

/// <summary>
/// Runs entries on <see cref="EntryProcessor"/> with at most <c>Concurrency</c> in flight. Readers first reserve slots
/// (<see cref="ReserveAsync"/> / <see cref="TryReserveAll"/>), read at most that many entries, <see cref="Start"/> one
/// per entry and <see cref="Release"/> the rest. An entry id already in flight is not started twice. A processor failure
/// other than shutdown is logged and leaves the entry pending (another claim retries it): it never stops the host.
/// </summary>
public sealed class EntryDispatcher(EntryProcessor processor, IOptions<ReplicationWorkerOptions> options, ILogger<EntryDispatcher> logger)
{
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);

    public int InFlight => _inFlight.Count;

    /// <summary>Waits for at least one free slot and takes every free slot; returns how many were taken.</summary>
    public async Task<int> ReserveAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return 1 + TryReserveAll();
    }

    /// <summary>Takes every free slot without waiting (possibly none).</summary>
    public int TryReserveAll()
    {
        var taken = 0;
        while (_slots.Wait(0))
        {
            taken++;
        }

        return taken;
    }

    public void Release(int slots)
    {
        if (slots > 0)
        {
            _slots.Release(slots);
        }
    }

    public bool IsInFlight(string id) => _inFlight.ContainsKey(id);

    /// <summary>Starts <paramref name="entry"/> on one reserved slot (given back when it ends, or at once for a duplicate).</summary>
    public void Start(DeliveredEntry entry, CancellationToken cancellationToken)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inFlight.TryAdd(entry.Id, gate.Task))
        {
            _slots.Release();
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await processor.ProcessAsync(entry, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Shutdown: the entry stays pending and is claimed again later.
            }
            catch (Exception e)
            {
                logger.LogError(e, "Replication entry {EntryId} failed unexpectedly; it stays pending and will be claimed again", entry.Id);
            }
            finally
            {
                _inFlight.TryRemove(entry.Id, out _);
                _slots.Release();
                gate.TrySetResult();
            }
        }, CancellationToken.None);
    }

    /// <summary>Completes when every started entry has ended.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_inFlight.Values);
}
