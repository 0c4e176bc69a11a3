using System.Globalization;
using System.Text;

namespace ComIO.Bench.Soak;

/// <summary>
/// The soak test's findings and verdict, rendered as Markdown. Flatness is judged per service process on the samples
/// taken while the workload ran: the first third is warm-up (caches, pools, JIT tiers, GC budgets settle) and is
/// ignored; the mean of the last third is compared with the mean of the second third.
/// <list type="bullet">
/// <item>RSS: fails if the last third's mean exceeds the second third's by more than <see cref="RssGrowthLimit"/> (20 %).</item>
/// <item>Open descriptors: fails if the last third's mean exceeds the second third's by more than <see cref="FdGrowthLimit"/> (50).</item>
/// <item>Threads and the managed (GC) heap are reported with the same comparison but do not fail the run: the thread pool
/// and DATAS legitimately resize with load; a real leak of either shows in RSS.</item>
/// </list>
/// </summary>
internal sealed class SoakReport(TimeSpan duration, int clients, TimeSpan sampleInterval, int seed, long deviceBytes)
{
    public const double RssGrowthLimit = 0.20;
    public const double FdGrowthLimit = 50;

    public Dictionary<string, List<ProcessSample>> Samples { get; } = new(StringComparer.Ordinal);

    public DateTime StartedUtc { get; set; } = DateTime.UtcNow;

    public TimeSpan Elapsed { get; set; }

    public string LoadStart { get; set; } = "";

    public string LoadEnd { get; set; } = "";

    public Dictionary<string, List<double>> Latencies { get; set; } = new(StringComparer.Ordinal);

    public long BytesWritten { get; set; }

    public long BytesRead { get; set; }

    public SoakErrors? Errors { get; set; }

    public List<string> ServicesExited { get; set; } = [];

    public string FinalListing { get; set; } = "not checked";

    public long ClientPeakRssBytes { get; set; } = -1;

    public string? Fatal { get; set; }

    public bool Passed => Failures().Count == 0;

    public List<string> Failures()
    {
        var failures = new List<string>();
        if (Fatal is not null)
        {
            failures.Add("the run stopped: " + Fatal);
        }

        if (Errors is { Total: > 0 })
        {
            failures.Add($"{Errors.Total} operation errors");
        }

        if (ServicesExited.Count > 0)
        {
            failures.Add("service process exited: " + string.Join(", ", ServicesExited));
        }

        if (!FinalListing.StartsWith("ok", StringComparison.Ordinal))
        {
            failures.Add("final listing: " + FinalListing);
        }

        foreach (var (name, samples) in Samples)
        {
            if (samples.Count < 3)
            {
                failures.Add($"{name}: only {samples.Count} samples (the run must last at least 3 sample intervals)");
                continue;
            }

            var rss = Thirds(samples, s => s.RssBytes);
            if (rss.Growth > RssGrowthLimit)
            {
                failures.Add($"{name}: RSS grew {rss.Growth:P1} (last third vs second third; limit {RssGrowthLimit:P0})");
            }

            var fds = Thirds(samples, s => s.OpenFds);
            if (fds.Last - fds.Second > FdGrowthLimit)
            {
                failures.Add($"{name}: open descriptors grew by {fds.Last - fds.Second:0} (limit +{FdGrowthLimit:0})");
            }
        }

        return failures;
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var failures = Failures();
        md.AppendLine(inv, $"# Soak test {StartedUtc:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(inv, $"**Result: {(failures.Count == 0 ? "PASS" : "FAIL")}**");
        foreach (var failure in failures)
        {
            md.AppendLine(inv, $"- {failure}");
        }

        md.AppendLine();
        md.AppendLine(inv, $"- duration: {Elapsed.TotalSeconds:0} s (requested {duration.TotalSeconds:0} s); {clients} concurrent AWSSDK.S3 clients (no SDK retries); seed {seed}");
        md.AppendLine(inv, $"- site: API service + 2 storage nodes, each its own process (`ComIO.Bench.Soak serve`, composed like the deployed services) on loopback; O_DIRECT file devices of {deviceBytes >> 20} MiB");
        md.AppendLine(inv, $"- machine: {Environment.ProcessorCount} cores, load average at start {LoadStart}, at end {LoadEnd} (shared machine: latencies include CPU contention with the clients and other work)");
        md.AppendLine("- workload per client (own prefix, ≤ 48 live keys, closed loop): 22 % PUT 1 B–1 MiB (30 % overwrites), 5 % PUT 1–8 MiB, 2 % multipart (3 parts, 10–13 MiB; 20 % aborted after the first part), 21 % GET (full, verified byte for byte), 7 % ranged GET (verified), 15 % HEAD (size + ETag), 12 % DELETE (25 % then HEAD must be 404), 16 % LIST of the client's prefix (pages of 20, must equal the live set)");
        md.AppendLine(inv, $"- final listing of the bucket: {FinalListing}");
        md.AppendLine();

        var total = Latencies.Values.Sum(l => l.Count);
        var seconds = Math.Max(Elapsed.TotalSeconds, 1e-9);
        md.AppendLine("## Operations");
        md.AppendLine();
        md.AppendLine(inv, $"{total} operations ({total / seconds:0.0}/s), {Errors?.Total ?? 0} errors; {BytesWritten / 1e9:0.00} GB written, {BytesRead / 1e9:0.00} GB read and verified.");
        md.AppendLine();
        md.AppendLine("| operation | count | per s | p50 ms | p95 ms | p99 ms | max ms |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (kind, list) in Latencies.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            md.AppendLine(inv, $"| {kind} | {list.Count} | {list.Count / seconds:0.0} | {OperationLog.Percentile(list, 50):0.0} | {OperationLog.Percentile(list, 95):0.0} | {OperationLog.Percentile(list, 99):0.0} | {(list.Count > 0 ? list[^1] : 0):0.0} |");
        }

        md.AppendLine();
        md.AppendLine("## Errors");
        md.AppendLine();
        if (Errors is null || Errors.Total == 0)
        {
            md.AppendLine("None.");
        }
        else
        {
            md.AppendLine(inv, $"By operation: {string.Join(", ", Errors.ByKind.Select(p => $"{p.Key} {p.Value}"))}. First messages:");
            md.AppendLine();
            foreach (var message in Errors.Messages)
            {
                md.AppendLine(inv, $"- {message}");
            }
        }

        md.AppendLine();
        md.AppendLine("## Service processes");
        md.AppendLine();
        md.AppendLine(inv, $"Sampled every {sampleInterval.TotalSeconds:0} s. Warm-up = first third of the samples; 2nd / last = mean of the second / last third. Fails if RSS grows more than {RssGrowthLimit:P0} or open descriptors by more than {FdGrowthLimit:0} (threads and GC heap: reported only).");
        md.AppendLine();
        md.AppendLine("| process | metric | start | 2nd third | last third | growth | end | max | verdict |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (name, samples) in Samples)
        {
            if (samples.Count == 0)
            {
                continue;
            }

            Row(md, name, "RSS MiB", samples, s => s.RssBytes / 1048576.0, t => t.Growth <= RssGrowthLimit ? "flat" : "GROWS");
            Row(md, name, "open fds", samples, s => s.OpenFds, t => t.Last - t.Second <= FdGrowthLimit ? "flat" : "GROWS");
            Row(md, name, "threads", samples, s => s.Threads, _ => "(info)");
            Row(md, name, "GC heap MiB", samples, s => s.GcHeapBytes / 1048576.0, _ => "(info)");
            Row(md, name, "GC committed MiB", samples, s => s.GcCommittedBytes / 1048576.0, _ => "(info)");
        }

        md.AppendLine();
        md.AppendLine(inv, $"Driver (client) process peak RSS: {ClientPeakRssBytes / 1048576.0:0} MiB.");
        md.AppendLine();
        md.AppendLine("## Samples");
        md.AppendLine();
        var names = Samples.Keys.ToList();
        md.AppendLine("| t (s) | " + string.Join(" | ", names.Select(n => $"{n} RSS MiB / fds / threads / GC MiB / gen2")) + " |");
        md.AppendLine("|---:|" + string.Join("", names.Select(_ => "---|")));
        var rows = Samples.Count == 0 ? 0 : Samples.Values.Max(l => l.Count);
        for (var i = 0; i < rows; i++)
        {
            var t = Samples.Values.First(l => l.Count > i)[i].ElapsedSeconds;
            md.Append(inv, $"| {t:0} |");
            foreach (var name in names)
            {
                var list = Samples[name];
                md.Append(i < list.Count
                    ? string.Create(inv, $" {list[i].RssBytes / 1048576.0:0} / {list[i].OpenFds} / {list[i].Threads} / {list[i].GcHeapBytes / 1048576.0:0} / {list[i].Gen2Collections} |")
                    : " - |");
            }

            md.AppendLine();
        }

        return md.ToString();
    }

    private static void Row(StringBuilder md, string name, string metric, List<ProcessSample> samples, Func<ProcessSample, double> value, Func<(double Second, double Last, double Growth), string> verdict)
    {
        var thirds = Thirds(samples, value);
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {name} | {metric} | {value(samples[0]):0} | {thirds.Second:0.0} | {thirds.Last:0.0} | {thirds.Growth:+0.0%;-0.0%;0.0%} | {value(samples[^1]):0} | {samples.Max(value):0} | {(samples.Count >= 3 ? verdict(thirds) : "too few samples")} |");
    }

    private static (double Second, double Last, double Growth) Thirds(List<ProcessSample> samples, Func<ProcessSample, double> value)
    {
        var third = Math.Max(1, samples.Count / 3);
        var second = samples.Skip(third).Take(third).Average(value);
        var last = samples.Skip(samples.Count - third).Average(value);
        return (second, last, second > 0 ? (last - second) / second : 0);
    }
}
