using System.Collections.Concurrent;

namespace ComIO.Storage.Devices;

/// <summary>
/// Threads of one device's own that run its blocking positional transfers. An O_DIRECT transfer blocks its thread for
/// the whole device time (about a millisecond for 1 MiB); on a thread-pool worker that starves request work, since
/// a small machine has only a couple of workers and the pool adds more slowly than transfers arrive.
/// Contract: at most <c>maxInFlight</c> transfers run at once (the device's queue depth from this process); workers
/// start on demand up to that number and live until <see cref="Dispose"/>; each transfer's task completes on the thread
/// pool, never on a worker. Transfers queued after disposal fail with <see cref="ObjectDisposedException"/>.
/// </summary>
internal sealed class DeviceIoWorkers : IDisposable
{
    private readonly BlockingCollection<Transfer> _queue = new(new ConcurrentQueue<Transfer>());
    private readonly string _name;
    private readonly int _maxInFlight;
    private int _workers;
    private int _idle;

    public DeviceIoWorkers(string name, int maxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        _name = name;
        _maxInFlight = maxInFlight;
    }

    /// <summary>Queues <paramref name="transfer"/>; the task completes when it has run (faulted with what it threw).</summary>
    public Task Run(Action transfer)
    {
        var item = new Transfer(transfer);
        try
        {
            _queue.Add(item);
        }
        catch (InvalidOperationException)
        {
            return Task.FromException(new ObjectDisposedException(_name, "The device is closed."));
        }

        if (Volatile.Read(ref _idle) == 0)
        {
            StartWorkerIfBelowLimit();
        }

        return item.Task;
    }

    public void Dispose() => _queue.CompleteAdding();

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

            Interlocked.Increment(ref _idle);
        }
    }

    private sealed class Transfer(Action action) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public Action Action { get; } = action;
    }
}
