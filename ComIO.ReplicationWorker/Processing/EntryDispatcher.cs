using System.Collections.Concurrent;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Queue;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Processing;

/// <summary>
/// Runs entries on <see cref="EntryProcessor"/> with at most <c>Concurrency</c> in flight. Readers first reserve slots
/// (<see cref="ReserveAsync"/> / <see cref="TryReserveAll"/>), read at most that many entries, <see cref="Start"/> one
/// per entry and <see cref="Release"/> the rest. An entry id already in flight is not started twice, and a second stream
/// entry for a change already in flight here (a node re-published it while it was being copied) is acknowledged at once:
/// the copy in flight reports the change, so duplicates never occupy the slots. A processor failure other than shutdown
/// is logged and leaves the entry pending (another claim retries it): it never stops the host.
/// </summary>
public sealed class EntryDispatcher(EntryProcessor processor, ReplicationQueue queue, IOptions<ReplicationWorkerOptions> options, ILogger<EntryDispatcher> logger)
{
    private readonly SemaphoreSlim _slots = new(options.Value.Concurrency, options.Value.Concurrency);
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _changesInFlight = new(StringComparer.Ordinal);

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

        var change = ChangeOf(entry);
        var duplicate = change is not null && !_changesInFlight.TryAdd(change, entry.Id);
        _ = Task.Run(async () =>
        {
            try
            {
                if (duplicate)
                {
                    logger.LogDebug("Replication entry {EntryId} repeats change {Change}, in flight here; acknowledged", entry.Id, change);
                    await queue.AcknowledgeAsync(entry.Id);
                    return;
                }

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
                if (change is not null && !duplicate)
                {
                    _changesInFlight.TryRemove(change, out _);
                }

                _inFlight.TryRemove(entry.Id, out _);
                _slots.Release();
                gate.TrySetResult();
            }
        }, CancellationToken.None);
    }

    /// <summary>Completes when every started entry has ended.</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_inFlight.Values);

    /// <summary>The outbox entry a stream entry publishes (node, device, sequence), or null when it names none.</summary>
    private static string? ChangeOf(DeliveredEntry entry)
    {
        string? node = null, device = null, sequence = null;
        foreach (var (name, value) in entry.Fields)
        {
            switch (name)
            {
                case ComIO.Contracts.Replication.ReplicationStream.Node: node = value; break;
                case ComIO.Contracts.Replication.ReplicationStream.Device: device = value; break;
                case ComIO.Contracts.Replication.ReplicationStream.Sequence: sequence = value; break;
            }
        }

        return node is null || device is null || sequence is null ? null : $"{node}/{device}/{sequence}";
    }
}
