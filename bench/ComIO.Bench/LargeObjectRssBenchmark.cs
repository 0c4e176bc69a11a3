using System.Diagnostics;

namespace ComIO.Bench;

/// <summary>
/// Writes ONE object of <c>--size</c> bytes (streamed from a generator, never held in memory), then reads it back, and
/// reports the process's peak RSS (VmHWM) after engine start-up, after the write and after the read. Run it in its own
/// process so the figure belongs to this object alone.
/// </summary>
internal static class LargeObjectRssBenchmark
{
    public static async Task<BenchResult> RunAsync(BenchArguments arguments)
    {
        var size = arguments.Size("size", 1024L * 1024 * 1024);
        var pattern = PatternStream.CreatePattern(8 * 1024 * 1024);
        var result = new BenchResult("rss");
        result.Add("size", size);

        await using var engine = await EngineFixture.OpenFreshAsync(arguments, inlineThreshold: 0);
        await SequentialBenchmark.PutAsync(engine, "warmup", 4 * 1024 * 1024, pattern, 1);
        GC.Collect();
        result.Add("baseline_rss_mb", ProcessMemory.ResidentBytes() / 1048576.0);
        result.Add("baseline_hwm_mb", ProcessMemory.PeakResidentBytes() / 1048576.0);
        result.Add("hwm_reset", ProcessMemory.TryResetPeak() ? 1 : 0);

        var started = Stopwatch.GetTimestamp();
        await SequentialBenchmark.PutAsync(engine, "large", size, pattern, 7);
        var writeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        result.Add("write_mb_s", size / writeSeconds / 1e6);
        result.Add("write_hwm_mb", ProcessMemory.PeakResidentBytes() / 1048576.0);
        result.Add("write_gc_heap_mb", GC.GetTotalMemory(forceFullCollection: false) / 1048576.0);

        started = Stopwatch.GetTimestamp();
        var read = await SequentialBenchmark.ReadAllAsync(engine, "large", new byte[1024 * 1024]);
        var readSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (read != size)
        {
            throw new InvalidOperationException($"Read {read} bytes, expected {size}.");
        }

        result.Add("read_mb_s", size / readSeconds / 1e6);
        result.Add("read_hwm_mb", ProcessMemory.PeakResidentBytes() / 1048576.0);
        return result;
    }
}
