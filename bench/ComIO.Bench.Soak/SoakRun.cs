using System.Diagnostics;
using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.Bench.S3;
using ComIO.Testing;

namespace ComIO.Bench.Soak;

/// <summary>
/// The bounded soak test (issue 11): the site as three service processes on loopback (two storage nodes and the API
/// service, each <c>serve</c>, composed like the deployed services), <c>--clients</c> AWSSDK.S3 clients running a mixed,
/// verified workload for <c>--duration</c> seconds, every service process sampled every <c>--sample-seconds</c>. Writes
/// the Markdown report to <c>--report</c> and prints it. Exit code 0 only if no operation failed, the final listing
/// matched, every service stayed up, and memory and descriptors stayed flat (<see cref="SoakReport"/>).
/// </summary>
internal static class SoakRun
{
    private const string Bucket = "soak";

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var root = arguments.Required("root");
        var reportPath = arguments.Required("report");
        var duration = TimeSpan.FromSeconds(arguments.Double("duration", 600));
        var clients = arguments.Int("clients", 32);
        var sampleInterval = TimeSpan.FromSeconds(arguments.Double("sample-seconds", 10));
        var seed = arguments.Int("seed", Environment.TickCount & 0x7fffffff);
        var deviceBytes = arguments.Size("device-size", 4L << 30);
        var report = new SoakReport(duration, clients, sampleInterval, seed, deviceBytes);
        var services = new List<SoakProcess>();
        try
        {
            var apiEnv = ComIOSite.ApiSettings();
            for (var i = 0; i < 2; i++)
            {
                var id = $"node{i + 1}";
                var url = LoopbackPorts.FreeUrl();
                services.Add(SoakProcess.Start(id, "node", url, ComIOSite.NodeSettings(root, id, deviceBytes)));
                apiEnv[$"Cluster:Nodes:{i}"] = id;
                apiEnv[$"Cluster:NodeUrls:{id}"] = url;
            }

            var apiUrl = LoopbackPorts.FreeUrl();
            services.Add(SoakProcess.Start("api", "api", apiUrl, apiEnv));
            foreach (var service in services)
            {
                await service.WaitReadyAsync(TimeSpan.FromSeconds(90));
            }

            Log($"site up: api {apiUrl} (pid {services[^1].Pid}), node1 pid {services[0].Pid}, node2 pid {services[1].Pid}; " +
                $"{clients} clients for {duration.TotalSeconds:0} s, seed {seed}");
            using var s3 = new AmazonS3Client(new BasicAWSCredentials(ComIOSite.AccessKey, ComIOSite.SecretKey), new AmazonS3Config
            {
                ServiceURL = apiUrl,
                ForcePathStyle = true,
                AuthenticationRegion = ComIOSite.Region,
                Timeout = TimeSpan.FromMinutes(2),
                MaxErrorRetry = 0, // every server error counts: no retry hides one
            });
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });

            var errors = new SoakErrors();
            var workers = Enumerable.Range(0, clients).Select(i => new SoakWorker(i, s3, Bucket, seed + i, errors)).ToList();
            var started = Stopwatch.GetTimestamp();
            report.StartedUtc = DateTime.UtcNow;
            report.LoadStart = File.ReadAllText("/proc/loadavg").Trim();
            var deadline = DateTime.UtcNow + duration;
            SampleAll(report, services, started);
            var running = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(deadline, CancellationToken.None))));
            while (await Task.WhenAny(running, Task.Delay(sampleInterval)) != running)
            {
                SampleAll(report, services, started);
                var ops = workers.Sum(w => w.Operations);
                Log($"t={Stopwatch.GetElapsedTime(started).TotalSeconds:0} s ops={ops} errors={errors.Total} " +
                    string.Join(' ', services.Select(s => $"{s.Name}:rss={report.Samples[s.Name][^1].RssBytes >> 20}MiB,fd={report.Samples[s.Name][^1].OpenFds}")));
            }

            if (Stopwatch.GetElapsedTime(started).TotalSeconds - report.Samples[services[0].Name][^1].ElapsedSeconds > 1)
            {
                SampleAll(report, services, started);
            }

            await running;
            report.Elapsed = Stopwatch.GetElapsedTime(started);
            report.LoadEnd = File.ReadAllText("/proc/loadavg").Trim();
            report.Latencies = OperationLog.Merge(workers.Select(w => w.Log));
            report.BytesWritten = workers.Sum(w => w.BytesWritten);
            report.BytesRead = workers.Sum(w => w.BytesRead);
            report.Errors = errors;
            report.ServicesExited = services.Where(s => s.HasExited).Select(s => s.Name).ToList();
            report.FinalListing = await FinalListingAsync(s3, workers);
            report.ClientPeakRssBytes = PeakRss();
        }
        catch (Exception ex)
        {
            report.Fatal = $"{ex.GetType().Name}: {ex.Message}";
            Log("fatal: " + ex);
        }
        finally
        {
            foreach (var service in services)
            {
                service.Dispose();
            }
        }

        var markdown = report.ToMarkdown();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(reportPath))!);
        await File.WriteAllTextAsync(reportPath, markdown);
        Console.Out.Write(markdown);
        return report.Passed ? 0 : 1;
    }

    /// <summary>Lists the whole bucket once the clients have stopped; it must hold exactly the union of their live keys.</summary>
    private static async Task<string> FinalListingAsync(IAmazonS3 s3, List<SoakWorker> workers)
    {
        var expected = workers.SelectMany(w => w.Live).ToDictionary(p => p.Key, p => p.Value.Size, StringComparer.Ordinal);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, ContinuationToken = token });
            foreach (var entry in page.S3Objects ?? [])
            {
                seen[entry.Key] = entry.Size ?? -1;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        var missing = expected.Count(p => !seen.TryGetValue(p.Key, out var size) || size != p.Value);
        var extra = seen.Keys.Count(k => !expected.ContainsKey(k));
        return missing == 0 && extra == 0
            ? $"ok: {seen.Count} keys, all expected, sizes equal"
            : $"MISMATCH: {missing} expected keys missing or of the wrong size, {extra} unexpected keys (of {seen.Count} listed, {expected.Count} expected)";
    }

    private static void SampleAll(SoakReport report, List<SoakProcess> services, long started)
    {
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var service in services)
        {
            if (!report.Samples.TryGetValue(service.Name, out var list))
            {
                list = [];
                report.Samples[service.Name] = list;
            }

            if (!service.HasExited)
            {
                list.Add(service.Sample(elapsed));
            }
        }
    }

    private static long PeakRss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }

    private static void Log(string message) => Console.Error.WriteLine($"[soak {DateTime.UtcNow:HH:mm:ss}] {message}");
}
