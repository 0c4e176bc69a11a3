using ComIO.Storage.Devices;

namespace ComIO.Storage.Tests;

public sealed class DeviceIoWorkersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ATransferOnAnIdleDevice_RunsOnTheCaller()
    {
        using var workers = new DeviceIoWorkers("test-device", maxInFlight: 2);
        var caller = Environment.CurrentManagedThreadId;
        var ranOn = 0;

        var task = workers.Run(() => ranOn = Environment.CurrentManagedThreadId);

        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(caller, ranOn);
        await task;
    }

    [Fact]
    public async Task WhileOneIsInFlight_OthersRunOffTheThreadPool_AtMostTheLimitAtOnce()
    {
        using var workers = new DeviceIoWorkers("test-device", maxInFlight: 3);
        using var release = new ManualResetEventSlim();
        var busy = KeepBusy(workers, release);
        var running = 0;
        var mostAtOnce = 0;
        var onPoolThread = 0;
        try
        {
            var tasks = Enumerable.Range(0, 7).Select(_ => workers.Run(() =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostAtOnce, now);
                if (Thread.CurrentThread.IsThreadPoolThread)
                {
                    Interlocked.Increment(ref onPoolThread);
                }

                release.Wait(TimeSpan.FromSeconds(30));
                Interlocked.Decrement(ref running);
            })).ToArray();

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Volatile.Read(ref running) < 3 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10, Ct);
            }

            // Three are blocked in their "device call"; the other four wait for a worker instead of starting threads.
            await Task.Delay(100, Ct);
            Assert.Equal(3, Volatile.Read(ref running));
            Assert.All(tasks, t => Assert.False(t.IsCompleted));

            release.Set();
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.Equal(3, mostAtOnce);
            Assert.Equal(0, onPoolThread);
        }
        finally
        {
            release.Set();
            busy.Join();
        }
    }

    [Fact]
    public async Task ATransferThatThrows_FaultsItsTaskOnly()
    {
        using var workers = new DeviceIoWorkers("test-device", maxInFlight: 2);
        using var release = new ManualResetEventSlim();
        var busy = KeepBusy(workers, release);
        Task failedQueued;
        try
        {
            failedQueued = workers.Run(() => throw new IOException("EIO queued"));
        }
        finally
        {
            release.Set();
            busy.Join();
        }

        // One through the workers (busy device), one on the caller (idle device): each reports its own failure.
        var failedInline = workers.Run(() => throw new IOException("EIO inline"));
        var fine = workers.Run(() => { });

        Assert.Equal("EIO queued", (await Assert.ThrowsAsync<IOException>(() => failedQueued)).Message);
        Assert.Equal("EIO inline", (await Assert.ThrowsAsync<IOException>(() => failedInline)).Message);
        await fine;
    }

    [Fact]
    public async Task AfterDispose_NewTransfersFailAsDisposed()
    {
        var workers = new DeviceIoWorkers("test-device", maxInFlight: 1);
        await workers.Run(() => { });
        workers.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => workers.Run(() => { }));
    }

    /// <summary>Makes the device busy with one transfer (run on its caller, a thread of its own) until released.</summary>
    private static Thread KeepBusy(DeviceIoWorkers workers, ManualResetEventSlim release)
    {
        using var started = new ManualResetEventSlim();
        var thread = new Thread(() => workers.Run(() =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        }))
        {
            IsBackground = true,
        };
        thread.Start();
        Assert.True(started.Wait(TimeSpan.FromSeconds(10), Ct));
        return thread;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
