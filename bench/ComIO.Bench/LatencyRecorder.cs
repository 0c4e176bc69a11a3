using System.Diagnostics;

namespace ComIO.Bench;

/// <summary>Collects per-operation latencies (Stopwatch ticks) from many threads and reports percentiles in milliseconds.</summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _gate = new();
    private readonly List<long> _ticks = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>Adds a batch of latencies recorded by one worker (one lock per batch, not per operation).</summary>
    public void AddRange(List<long> ticks)
    {
        lock (_gate)
        {
            _ticks.AddRange(ticks);
        }
    }

    /// <summary>The <paramref name="percentile"/> (0–100) latency in milliseconds, nearest-rank; 0 when empty.</summary>
    public double PercentileMs(double percentile)
    {
        lock (_gate)
        {
            if (_ticks.Count == 0)
            {
                return 0;
            }

            _ticks.Sort();
            var rank = (int)Math.Ceiling(percentile / 100.0 * _ticks.Count) - 1;
            rank = Math.Clamp(rank, 0, _ticks.Count - 1);
            return _ticks[rank] * 1000.0 / Stopwatch.Frequency;
        }
    }

    /// <summary>Writes p50/p99/p99.9 under <c>{prefix}_p50_ms</c> etc.</summary>
    public void Report(BenchResult result, string prefix)
    {
        result.Add($"{prefix}_p50_ms", PercentileMs(50));
        result.Add($"{prefix}_p99_ms", PercentileMs(99));
        result.Add($"{prefix}_p999_ms", PercentileMs(99.9));
    }
}
