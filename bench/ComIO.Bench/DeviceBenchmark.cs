using System.Diagnostics;
using ComIO.Storage.Devices;

namespace ComIO.Bench;

/// <summary>
/// The engine's device layer alone: <see cref="DirectIoBlockDevice"/> <c>--block</c>-byte writes, then reads, for
/// <c>--seconds</c> each, from <c>--queue-depth</c> concurrent callers over <c>[1 MiB, --region)</c>, with buffers from
/// <see cref="AlignedBufferPool"/>. <c>--pattern seq</c> (default): the callers share one advancing offset (wrapping);
/// <c>random</c>: each I/O picks a uniformly random block. <c>--ops</c> <c>write,read</c> (default), <c>write</c> or
/// <c>read</c>. <c>--sync true</c> follows every write with the device's <c>fdatasync</c> (fio's <c>--fdatasync=1</c>).
/// No checksums: the same work as fio's <c>--direct=1</c> jobs, so the ratio to fio is the cost of .NET positional I/O
/// and of the device layer's threads.
/// </summary>
internal static class DeviceBenchmark
{
    public static async Task<BenchResult> RunAsync(BenchArguments arguments)
    {
        var block = (int)arguments.Size("block", 1024 * 1024);
        var depth = arguments.Int("queue-depth", 1);
        var seconds = arguments.Double("seconds", 5);
        var random = (arguments.Optional("pattern") ?? "seq") switch
        {
            "seq" => false,
            "random" => true,
            var other => throw new ArgumentException($"--pattern must be 'seq' or 'random', not '{other}'."),
        };
        var ops = (arguments.Optional("ops") ?? "write,read").Split(',');
        var sync = arguments.Optional("sync") == "true";
        var path = arguments.Required("device");
        using var device = DirectIoBlockDevice.Open(path, 4096, exclusive: true);
        var start = 1024L * 1024;
        var region = Math.Min(arguments.Size("region", device.Capacity), device.Capacity);
        var blocks = (region - start) / block;
        using var pool = new AlignedBufferPool(block, 4096, depth);
        var result = new BenchResult("device");
        result.Add("block", block);
        result.Add("queue_depth", depth);
        result.Add("random", random ? 1 : 0);
        result.Add("sync", sync ? 1 : 0);

        var pattern = PatternStream.CreatePattern(block);
        if (ops.Contains("write"))
        {
            var cpu = CpuTime.Now();
            (var writeMbs, var writeLatency) = await RunAsync(depth, seconds, blocks, random, async (offsetIndex, buffer) =>
            {
                await device.WriteAsync(start + (offsetIndex * block), buffer.Memory);
                if (sync)
                {
                    await device.FlushAsync();
                }
            }, pool, pattern);
            Report(result, "write", writeMbs, writeLatency, CpuTime.Now() - cpu, block);
        }

        if (ops.Contains("read"))
        {
            var cpu = CpuTime.Now();
            (var readMbs, var readLatency) = await RunAsync(depth, seconds, blocks, random, async (offsetIndex, buffer) =>
                await device.ReadAsync(start + (offsetIndex * block), buffer.Memory), pool, pattern);
            Report(result, "read", readMbs, readLatency, CpuTime.Now() - cpu, block);
        }

        return result;
    }

    private static void Report(BenchResult result, string direction, double megabytesPerSecond, LatencyRecorder latency, TimeSpan cpu, int block)
    {
        result.Add($"{direction}_cpu_ms_per_mib", cpu.TotalMilliseconds / latency.Count / (block / 1048576.0));
        result.Add($"{direction}_mb_s", megabytesPerSecond);
        result.Add($"{direction}_iops", megabytesPerSecond * 1e6 / block);
        result.Add($"{direction}_cpu_us_per_io", cpu.TotalMicroseconds / latency.Count);
        latency.Report(result, direction);
    }

    private static async Task<(double MegabytesPerSecond, LatencyRecorder Latency)> RunAsync(
        int depth, double seconds, long blocks, bool random, Func<long, AlignedBuffer, Task> io, AlignedBufferPool pool, byte[] pattern)
    {
        var latency = new LatencyRecorder();
        long next = -1;
        long done = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await SequentialBenchmark.RunWorkersAsync(depth, async () =>
        {
            using var buffer = pool.Rent();
            pattern.CopyTo(buffer.Span);
            var ticks = new List<long>();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var index = random ? Random.Shared.NextInt64(blocks) : Interlocked.Increment(ref next) % blocks;
                var t0 = Stopwatch.GetTimestamp();
                await io(index, buffer);
                ticks.Add(Stopwatch.GetTimestamp() - t0);
            }

            Interlocked.Add(ref done, ticks.Count);
            latency.AddRange(ticks);
        });
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return (done * (double)pool.BufferSize / elapsed / 1e6, latency);
    }
}
