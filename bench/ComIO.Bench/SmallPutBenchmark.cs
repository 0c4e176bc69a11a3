using System.Diagnostics;
using ComIO.Storage;

namespace ComIO.Bench;

/// <summary>
/// Durable PUTs of <c>--size</c>-byte objects (default 4 KiB) from <c>--writers</c> concurrent writers for
/// <c>--seconds</c>, each writer issuing one PUT at a time. <c>--inline-threshold</c> 0 forces the device path (data
/// write + device flush + metadata sync); the default stores the body inline in the metadata record (metadata sync only).
/// Reports PUT/s, latency percentiles and the mean commit-group size (how many PUTs shared one sync).
/// </summary>
internal static class SmallPutBenchmark
{
    private const int WarmUpKeys = 4096;

    public static async Task<BenchResult> RunAsync(BenchArguments arguments)
    {
        var size = arguments.Size("size", 4096);
        var workers = arguments.Int("writers", 1);
        var seconds = arguments.Double("seconds", 5);
        var inlineThreshold = arguments.Int("inline-threshold", 16 * 1024);
        var pattern = PatternStream.CreatePattern(1024 * 1024);
        var result = new BenchResult("small-put");
        result.Add("size", size);
        result.Add("writers", workers);
        result.Add("inline_threshold", inlineThreshold);

        await using var engine = await EngineFixture.OpenFreshAsync(arguments, inlineThreshold);
        var next = -1;
        int NextIndex() => Interlocked.Increment(ref next);
        // The warm-up overwrites a bounded set of keys (an overwrite frees the previous version), so it cannot fill the device.
        var warmup = await JitSettling.RunAsync(() => PutForAsync(engine, workers, 0.5, size, pattern, NextIndex, i => $"warmup/{i % WarmUpKeys:D5}", new LatencyRecorder()),
            TimeSpan.FromSeconds(60));
        Console.Error.WriteLine(warmup.ToText());
        result.Add("warmup_seconds", warmup.Value("seconds"));
        result.Add("warmup_settled", warmup.Value("settled"));

        var groupsBefore = engine.CommitGroupCount;
        var operationsBefore = engine.CommitOperationCount;
        var latency = new LatencyRecorder();
        var cpu = CpuTime.Now();
        var started = Stopwatch.GetTimestamp();
        await PutForAsync(engine, workers, seconds, size, pattern, NextIndex, SequentialBenchmark.Key, latency);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuUsed = CpuTime.Now() - cpu;
        var groups = engine.CommitGroupCount - groupsBefore;
        var operations = engine.CommitOperationCount - operationsBefore;
        result.Add("puts", latency.Count);
        result.Add("puts_s", latency.Count / elapsed);
        result.Add("cpu_us_per_put", cpuUsed.TotalMicroseconds / Math.Max(1, latency.Count));
        result.Add("cpu_cores_used", cpuUsed.TotalSeconds / elapsed);
        result.Add("commit_groups", groups);
        result.Add("mean_group_size", groups == 0 ? 0 : (double)operations / groups);
        latency.Report(result, "put");
        return result;
    }

    /// <summary><paramref name="workers"/> writers, each one PUT at a time of the key of the next index, for <paramref name="seconds"/>; latencies into <paramref name="latency"/>.</summary>
    private static Task PutForAsync(StorageEngine engine, int workers, double seconds, long size, byte[] pattern, Func<int> nextIndex, Func<int, string> key, LatencyRecorder latency)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        return SequentialBenchmark.RunWorkersAsync(workers, async () =>
        {
            var ticks = new List<long>();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var index = nextIndex();
                var t0 = Stopwatch.GetTimestamp();
                await SequentialBenchmark.PutAsync(engine, key(index), size, pattern, index);
                ticks.Add(Stopwatch.GetTimestamp() - t0);
            }

            latency.AddRange(ticks);
        });
    }
}
