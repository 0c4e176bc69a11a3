using System.Diagnostics;

namespace ComIO.Bench.S3;

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each issue one operation at a time until the deadline or until their
/// operation returns a negative byte count (no more work). Records per-operation latency, bytes, process CPU time,
/// managed allocation and thread-pool work items.
/// </summary>
internal static class Workload
{
    /// <param name="operation">(worker, iteration) → bytes moved, or -1 when this worker has nothing more to do.</param>
    public static async Task<CellResult> RunAsync(int concurrency, double seconds, Func<int, long, Task<long>> operation)
    {
        var latency = new LatencyRecorder();
        long bytes = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        using var sampler = AllocationSampler.Enabled ? new AllocationSampler() : null;
        var cpu = CpuTime.Now();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var poolItems = ThreadPool.CompletedWorkItemCount;
        var started = Stopwatch.GetTimestamp();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var worker = w;
            workers[w] = Task.Run(async () =>
            {
                var ticks = new List<long>();
                long moved = 0;
                for (long i = 0; Stopwatch.GetTimestamp() < deadline; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var n = await operation(worker, i);
                    if (n < 0)
                    {
                        break;
                    }

                    ticks.Add(Stopwatch.GetTimestamp() - t0);
                    moved += n;
                }

                latency.AddRange(ticks);
                Interlocked.Add(ref bytes, moved);
            });
        }

        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuUsed = (CpuTime.Now() - cpu).TotalSeconds;
        var allocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var poolItemsRun = ThreadPool.CompletedWorkItemCount - poolItems;
        sampler?.Report($"{concurrency} worker(s), {latency.Count} operations, {allocatedBytes / Math.Max(1, latency.Count)} B/op allocated", latency.Count);
        return new CellResult(latency.Count, bytes, elapsed, cpuUsed, latency.PercentileMs(50), latency.PercentileMs(99), allocatedBytes, poolItemsRun);
    }
}
