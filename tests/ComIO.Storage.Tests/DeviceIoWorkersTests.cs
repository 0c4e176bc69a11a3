using ComIO.Storage.Devices;

namespace ComIO.Storage.Tests;

public sealed class DeviceIoWorkersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Transfers_RunOffTheThreadPool_AtMostTheLimitAtOnce()
    {
        using var workers = new DeviceIoWorkers("test-device", maxInFlight: 3);
        using var release = new ManualResetEventSlim();
        var running = 0;
        var mostAtOnce = 0;
        var onPoolThread = 0;
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

    [Fact]
    public async Task ATransferThatThrows_FaultsItsTaskOnly()
    {
        using var workers = new DeviceIoWorkers("test-device", maxInFlight: 2);
        var failed = workers.Run(() => throw new IOException("EIO"));
        var fine = workers.Run(() => { });

        var ex = await Assert.ThrowsAsync<IOException>(() => failed);
        Assert.Equal("EIO", ex.Message);
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

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
