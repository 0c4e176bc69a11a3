using System.Collections.Concurrent;

namespace ComIO.Storage.Devices;

/// <summary>
/// Threads of one device's own that run its blocking positional transfers. An O_DIRECT transfer blocks its thread for
/// the whole device time (about a millisecond for 1 MiB); on thread-pool workers, concurrent transfers starve request
/// work, since a small machine has only a couple of workers and the pool adds more slowly than transfers arrive.
/// Contract: a transfer submitted while the device has none in flight runs on the caller's thread (no hand-off, so a
/// lone sequential stream costs what a direct call does; at most one caller per device blocks this way); any other is
/// queued to the device's workers, at most <c>maxInFlight</c> of which run at once (the device's queue depth from
/// this process). Workers start on demand and live until <see cref="Dispose"/>; a queued transfer's task completes on
/// the thread pool, never on a worker. Transfers submitted after disposal fail with <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class DeviceIoWorkers : IDisposable
{
    private readonly BlockingCollection<Transfer> _queue = new(new ConcurrentQueue<Transfer>());
    private readonly string _name;
    private readonly int _maxInFlight;
    private int _workers;
    private int _idle;
    private int _inFlight;
    private volatile bool _disposed;

    public DeviceIoWorkers(string name, int maxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _name = name;
        _maxInFlight = maxInFlight;
    }

    /// <summary>Runs or queues <paramref name="transfer"/>; the task completes when it has run (faulted with what it threw).</summary>
    public Task Run(Action transfer)
    {
        if (_disposed)
        {
            return Disposed();
        }

        if (Interlocked.Increment(ref _inFlight) == 1)
        {
            try
            {
                transfer();
                return Task.CompletedTask;
            }
            catch (Exception ex)
            {
                return Task.FromException(ex);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        var item = new Transfer(transfer);
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            Interlocked.Decrement(ref _inFlight);
            return Disposed();
        }

        // Every queued transfer needs a worker of its own, up to the limit: one that started but has not taken an item
        // yet already counts as idle, so a burst of submissions starts as many workers as it queues transfers.
        if (_queue.Count > Volatile.Read(ref _idle))
        {
            StartWorkerIfBelowLimit();
        }

        return item.Task;
    }

    public void Dispose()
    {
        _disposed = true;
        _queue.CompleteAdding();
    }

    private Task Disposed() => Task.FromException(new ObjectDisposedException(_name, "The device is closed."));

    private void StartWorkerIfBelowLimit()
    {
        if (Interlocked.Increment(ref _workers) > _maxInFlight)
        {
            Interlocked.Decrement(ref _workers);
            return;
        }

        Interlocked.Increment(ref _idle);
        new Thread(Work) { IsBackground = true, Name = "comio-device-io" }.Start();
    }

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable())
        {
            Interlocked.Decrement(ref _idle);
            try
            {
                item.Action();
                item.TrySetResult();
            }
            catch (Exception ex)
            {
                item.TrySetException(ex);
            }

            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _idle);
        }
    }

    private sealed class Transfer(Action action) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Action Action { get; } = action;
    }
}
