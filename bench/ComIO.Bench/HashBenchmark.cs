using System.Diagnostics;
using System.IO.Hashing;
using System.Security.Cryptography;
using ComIO.Storage.Devices;

namespace ComIO.Bench;

/// <summary>
/// Single-thread CPU ceilings of the write path's per-byte work: MD5 (the S3 ETag, inherently sequential per object)
/// and CRC32C (per chunk), over 1 MiB buffers for <c>--seconds</c> each, per wall-clock and per CPU second. A PUT stream
/// cannot beat its MD5 rate.
/// </summary>
internal static class HashBenchmark
{
    public static BenchResult Run(BenchArguments arguments)
    {
        var seconds = arguments.Double("seconds", 2);
        var buffer = PatternStream.CreatePattern(1024 * 1024);
        var result = new BenchResult("hash");
        using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
        {
            var (wall, cpu) = Measure(seconds, () => md5.AppendData(buffer));
            result.Add("md5_mb_s", wall * buffer.Length / 1e6);
            result.Add("md5_cpu_mb_s", cpu * buffer.Length / 1e6);
            result.Add("md5_cpu_ms_per_mib", 1000.0 / (cpu * buffer.Length / 1048576));
        }

        uint sink = 0;
        var (crcWall, crcCpu) = Measure(seconds, () => sink ^= Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, buffer));
        result.Add("crc32c_mb_s", crcWall * buffer.Length / 1e6);
        result.Add("crc32c_cpu_mb_s", crcCpu * buffer.Length / 1e6);
        result.Add("crc32c_cpu_ms_per_mib", 1000.0 / (crcCpu * buffer.Length / 1048576));

        // The PUT path's per-byte CPU work without the engine: body copy from a stream into a pooled aligned buffer,
        // MD5, CRC32C per 64 KiB chunk (what StorageEngine.WriteDataAsync does before each device write).
        var source = PatternStream.CreatePattern(8 * 1024 * 1024);
        using var pool = new AlignedBufferPool(buffer.Length);
        using var staging = pool.Rent();
        using var body = new PatternStream(source, long.MaxValue, 3);
        using var pipelineMd5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var (_, pipelineCpu) = Measure(seconds, () =>
        {
            body.ReadExactly(staging.Span);
            pipelineMd5.AppendData(staging.Span);
            for (var offset = 0; offset < staging.Length; offset += 64 * 1024)
            {
                sink ^= Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, staging.Span.Slice(offset, 64 * 1024));
            }
        });
        result.Add("pipeline_cpu_ms_per_mib", 1000.0 / (pipelineCpu * buffer.Length / 1048576));
        result.Add("crc32c_sink", sink % 2);
        return result;
    }

    /// <summary>Returns iterations per wall-clock second and per second of process CPU time (robust to CPU contention).</summary>
    private static (double PerWallSecond, double PerCpuSecond) Measure(double seconds, Action action)
    {
        for (var i = 0; i < 20; i++)
        {
            action();
        }

        long iterations = 0;
        var cpu = CpuTime.Now();
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            action();
            iterations++;
        }

        var wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuSeconds = (CpuTime.Now() - cpu).TotalSeconds;
        return (iterations / wall, iterations / Math.Max(cpuSeconds, 1e-9));
    }
}
