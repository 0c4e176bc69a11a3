using System.Diagnostics;
using ComIO.Storage;

namespace ComIO.Bench;

/// <summary>
/// Writes <c>--total</c> bytes as objects of <c>--object-size</c> with <c>--writers</c> concurrent writers (each PUT is
/// durable: data flushed, metadata synced), then reads every object back through the verifying read stream with the
/// same concurrency. Reports MB/s (10^6 bytes), objects/s, CPU per object and per-object latency percentiles.
/// <c>--inline-threshold</c> (default 0: every object on the device) is the engine's; objects below 1 MiB are many and
/// short, so their warm-up repeats the workload until the JIT has settled (<see cref="JitSettling"/>), where larger
/// objects warm up with a few PUTs.
/// </summary>
internal static class SequentialBenchmark
{
    public static async Task<BenchResult> RunAsync(BenchArguments arguments)
    {
        var objectSize = arguments.Size("object-size", 1024 * 1024);
        var total = arguments.Size("total", 1024L * 1024 * 1024);
        var workers = arguments.Int("writers", 1);
        var count = (int)Math.Max(1, total / objectSize);
        var pattern = PatternStream.CreatePattern(8 * 1024 * 1024);
        var result = new BenchResult("seq");
        result.Add("object_size", objectSize);
        result.Add("objects", count);
        result.Add("writers", workers);

        var inlineThreshold = arguments.Int("inline-threshold", 0);
        result.Add("inline_threshold", inlineThreshold);

        await using var engine = await EngineFixture.OpenFreshAsync(arguments, inlineThreshold);

        // Warm-up: JIT and the first RocksDB writes, outside the measurement.
        if (objectSize < SmallObjectBytes)
        {
            var warmup = await JitSettling.RunAsync(() => WarmUpRoundAsync(engine, workers, objectSize, pattern), TimeSpan.FromSeconds(30));
            Console.Error.WriteLine(warmup.ToText());
            result.Add("warmup_seconds", warmup.Value("seconds"));
            result.Add("warmup_settled", warmup.Value("settled"));
        }
        else
        {
            for (var i = 0; i < 4; i++)
            {
                await PutAsync(engine, $"warmup-{i}", Math.Min(objectSize, 1024 * 1024), pattern, i);
            }
        }

        var groupsBefore = engine.CommitGroupCount;
        var writeLatency = new LatencyRecorder();
        var next = -1;
        var cpu = CpuTime.Now();
        var started = Stopwatch.GetTimestamp();
        await RunWorkersAsync(workers, async () =>
        {
            var ticks = new List<long>();
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                await PutAsync(engine, Key(index), objectSize, pattern, index);
                ticks.Add(Stopwatch.GetTimestamp() - t0);
            }

            writeLatency.AddRange(ticks);
        });
        var writeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var writeCpu = CpuTime.Now() - cpu;
        var bytes = (double)objectSize * count;
        result.Add("write_cpu_ms_per_mib", writeCpu.TotalMilliseconds / (bytes / 1048576));
        result.Add("write_mb_s", bytes / writeSeconds / 1e6);
        result.Add("write_objects_s", count / writeSeconds);
        result.Add("write_cpu_us_per_object", writeCpu.TotalMicroseconds / count);
        result.Add("write_commit_groups", engine.CommitGroupCount - groupsBefore);
        writeLatency.Report(result, "write");

        var readLatency = new LatencyRecorder();
        next = -1;
        long readBytes = 0;
        cpu = CpuTime.Now();
        started = Stopwatch.GetTimestamp();
        await RunWorkersAsync(workers, async () =>
        {
            var ticks = new List<long>();
            var sink = new byte[1024 * 1024];
            int index;
            long mine = 0;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var t0 = Stopwatch.GetTimestamp();
                mine += await ReadAllAsync(engine, Key(index), sink);
                ticks.Add(Stopwatch.GetTimestamp() - t0);
            }

            Interlocked.Add(ref readBytes, mine);
            readLatency.AddRange(ticks);
        });
        var readSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var readCpu = CpuTime.Now() - cpu;
        result.Add("read_cpu_ms_per_mib", readCpu.TotalMilliseconds / (bytes / 1048576));
        result.Add("read_cpu_us_per_object", readCpu.TotalMicroseconds / count);
        result.Add("read_objects_s", count / readSeconds);
        if (readBytes != (long)bytes)
        {
            throw new InvalidOperationException($"Read {readBytes} bytes, expected {(long)bytes}.");
        }

        result.Add("read_mb_s", readBytes / readSeconds / 1e6);
        readLatency.Report(result, "read");
        return result;
    }

    internal static string Key(int index) => $"obj/{index:D8}";

    /// <summary>Objects below this size warm up until the JIT has settled.</summary>
    private const int SmallObjectBytes = 1024 * 1024;

    /// <summary>Keys the small-object warm-up overwrites, so it cannot fill the device.</summary>
    private const int WarmUpKeys = 1024;

    /// <summary>One warm-up round: <paramref name="workers"/> writers PUT for 0.3 s (at least one PUT each), then as many readers GET what they wrote for 0.3 s.</summary>
    private static async Task WarmUpRoundAsync(StorageEngine engine, int workers, long objectSize, byte[] pattern)
    {
        var next = -1;
        var deadline = Stopwatch.GetTimestamp() + (long)(0.3 * Stopwatch.Frequency);
        await RunWorkersAsync(workers, async () =>
        {
            do
            {
                var index = Interlocked.Increment(ref next);
                await PutAsync(engine, WarmUpKey(index), objectSize, pattern, index);
            }
            while (Stopwatch.GetTimestamp() < deadline);
        });
        var written = Math.Min(next + 1, WarmUpKeys);
        deadline = Stopwatch.GetTimestamp() + (long)(0.3 * Stopwatch.Frequency);
        next = -1;
        await RunWorkersAsync(workers, async () =>
        {
            var sink = new byte[64 * 1024];
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await ReadAllAsync(engine, WarmUpKey(Interlocked.Increment(ref next) % written), sink);
            }
        });
    }

    private static string WarmUpKey(int index) => $"warmup/{index % WarmUpKeys:D5}";

    internal static async Task PutAsync(StorageEngine engine, string key, long size, byte[] pattern, int seed)
    {
        using var body = new PatternStream(pattern, size, seed);
        var put = await engine.PutObjectAsync(EngineFixture.Request(key, size), body);
        if (put.Status != EngineStatus.Ok)
        {
            throw new InvalidOperationException($"PUT {key} returned {put.Status}.");
        }
    }

    /// <summary>Streams the whole object into <paramref name="sink"/> (the engine verifies every chunk's CRC32C).</summary>
    internal static async Task<long> ReadAllAsync(StorageEngine engine, string key, byte[] sink)
    {
        await using var open = await engine.OpenObjectAsync(EngineFixture.Bucket, key, 0, -1);
        if (open.Status != EngineStatus.Ok || open.Content is null)
        {
            throw new InvalidOperationException($"GET {key} returned {open.Status}.");
        }

        long total = 0;
        int read;
        while ((read = await open.Content.ReadAsync(sink)) > 0)
        {
            total += read;
        }

        if (total != open.RangeLength)
        {
            throw new InvalidOperationException($"GET {key} returned {total} bytes, expected {open.RangeLength}.");
        }

        return total;
    }

    internal static Task RunWorkersAsync(int workers, Func<Task> body)
    {
        var tasks = new Task[workers];
        for (var i = 0; i < workers; i++)
        {
            tasks[i] = Task.Run(body);
        }

        return Task.WhenAll(tasks);
    }
}
