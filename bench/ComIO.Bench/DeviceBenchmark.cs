using System.Diagnostics;
using ComIO.Storage.Devices;

namespace ComIO.Bench;

/// <summary>
/// The engine's device layer alone: <see cref="DirectIoBlockDevice"/> sequential <c>--block</c>-byte writes, then reads,
/// for <c>--seconds</c> each, from <c>--queue-depth</c> threads sharing one advancing offset over
/// <c>[1 MiB, --region)</c> (wrapping), with buffers from <see cref="AlignedBufferPool"/>. No flush, no checksums: the
/// same work as fio's <c>--rw=write|read --direct=1</c>, so the ratio to fio is the cost of .NET positional I/O.
/// </summary>
internal static class DeviceBenchmark
{
    public static async Task<BenchResult> RunAsync(BenchArguments arguments)
    {
        var block = (int)arguments.Size("block", 1024 * 1024);
        var depth = arguments.Int("queue-depth", 1);
        var seconds = arguments.Double("seconds", 5);
        var path = arguments.Required("device");
        using var device = DirectIoBlockDevice.Open(path, 4096, exclusive: true);
        var start = 1024L * 1024;
        var region = Math.Min(arguments.Size("region", device.Capacity), device.Capacity);
        var blocks = (region - start) / block;
        using var pool = new AlignedBufferPool(block, 4096, depth);
        var result = new BenchResult("device");
        result.Add("block", block);
        result.Add("queue_depth", depth);

        var pattern = PatternStream.CreatePattern(block);
        var cpu = CpuTime.Now();
        (var writeMbs, var writeLatency) = await RunAsync(depth, seconds, blocks, async (offsetIndex, buffer) =>
            await device.WriteAsync(start + (offsetIndex * block), buffer.Memory), pool, pattern);
        result.Add("write_cpu_ms_per_mib", (CpuTime.Now() - cpu).TotalMilliseconds / writeLatency.Count / (block / 1048576.0));
        result.Add("write_mb_s", writeMbs);
        writeLatency.Report(result, "write");
        cpu = CpuTime.Now();
        (var readMbs, var readLatency) = await RunAsync(depth, seconds, blocks, async (offsetIndex, buffer) =>
            await device.ReadAsync(start + (offsetIndex * block), buffer.Memory), pool, pattern);
        result.Add("read_cpu_ms_per_mib", (CpuTime.Now() - cpu).TotalMilliseconds / readLatency.Count / (block / 1048576.0));
        result.Add("read_mb_s", readMbs);
        readLatency.Report(result, "read");
        return result;
    }

    private static async Task<(double MegabytesPerSecond, LatencyRecorder Latency)> RunAsync(
        int depth, double seconds, long blocks, Func<long, AlignedBuffer, Task> io, AlignedBufferPool pool, byte[] pattern)
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
                var index = Interlocked.Increment(ref next) % blocks;
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
