using System.Diagnostics;

namespace ComIO.Bench.Soak;

/// <summary>One worker's latencies (milliseconds) per operation kind; merged once at the end (no shared state per op).</summary>
internal sealed class OperationLog
{
    public Dictionary<string, List<double>> Latencies { get; } = new(StringComparer.Ordinal);

    public void Add(string kind, long startTimestamp)
    {
        if (!Latencies.TryGetValue(kind, out var list))
        {
            list = [];
            Latencies[kind] = list;
        }

        list.Add(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
    }

    public static Dictionary<string, List<double>> Merge(IEnumerable<OperationLog> logs)
    {
        var merged = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var log in logs)
        {
            foreach (var (kind, list) in log.Latencies)
            {
                if (!merged.TryGetValue(kind, out var all))
                {
                    all = [];
                    merged[kind] = all;
                }

                all.AddRange(list);
            }
        }

        foreach (var list in merged.Values)
        {
            list.Sort();
        }

        return merged;
    }

    /// <summary>Nearest-rank percentile (0-100) of a sorted list; 0 when empty.</summary>
    public static double Percentile(List<double> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
