using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ComIO.Bench;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Hosting;
using Microsoft.Extensions.Logging.Console;

namespace ComIO.Bench.S3;

/// <summary>
/// Cross-site replication (issue 7). One process hosts two sites on loopback Kestrel — east (API service + 2 storage
/// nodes relaying their outbox to a <c>redis-server</c> child process) and west (API service + 1 node) — and the real
/// replication worker of east (<see cref="ReplicationWorkerComposition.AddReplicationWorker"/> with the worker's own
/// service defaults and Redis client, as its <c>Program</c> composes it). Measurements, each next to its ceiling:
/// <list type="number">
/// <item>4 KiB objects/s: N objects PUT to a replicated bucket on east (16 clients) while no worker runs; once the
/// nodes have relayed all N entries to the stream, the worker starts and the clock runs until the stream is empty
/// (the worker deletes an entry after the copy and the node's COMPLETED report) and west lists all N keys. Ceiling: the
/// same client copying the same N objects itself (GET from east, PUT to west), as many at a time as the worker.</item>
/// <item>The same for 64 MiB objects in MB/s (the client copy streams each body through).</item>
/// <item>Lag: 4 KiB PUTs at a fixed rate (a fraction of the rate of 1) with the worker running; a sampler lists west
/// every <c>--sample-ms</c> from the first key not seen yet and timestamps new keys; lag = first seen on west − PUT
/// acknowledged on east; the stream length (backlog) is sampled every second.</item>
/// </list>
/// </summary>
internal static partial class ReplicationBenchmark
{
    private const string East = "east";
    private const string West = "west";
    private const int WarmObjects = 102; // per warm-up round: 2 of 1 MiB + 4 KiB, then 100 of 4 KiB

    public static async Task RunAsync(BenchArguments arguments, ResultFile output)
    {
        var root = arguments.Required("root");
        var smallCount = arguments.Int("small-count", 2000);
        var largeCount = arguments.Int("large-count", 8);
        var largeSize = arguments.Size("large-size", 64L << 20);
        var concurrency = arguments.Int("concurrency", 16);
        var workerConcurrency = arguments.Int("worker-concurrency", concurrency);
        var lagSeconds = arguments.Double("lag-seconds", 30);
        var lagFraction = arguments.Double("lag-fraction", 0.5);
        var sampleMs = arguments.Int("sample-ms", 200);
        var eastDevice = arguments.Size("device-size", 2L << 30);
        var westDevice = arguments.Size("west-device-size", 2 * eastDevice);

        Directory.CreateDirectory(root);
        await using var redis = await RedisServer.StartAsync(root);
        await using var bench = await TwoSites.StartAsync(root, redis, eastDevice, westDevice, workerConcurrency);
        Log($"east {bench.EastEndpoint}, west {bench.WestEndpoint}, redis {redis.ConnectionString}, worker concurrency {workerConcurrency}");

        var signer = new SigV4Signer(ComIOSite.AccessKey, ComIOSite.SecretKey, ComIOSite.Region);
        using var east = new S3LoadClient(bench.EastEndpoint, signer);
        using var west = new S3LoadClient(bench.WestEndpoint, signer);
        var small = new byte[4096];
        new Random(7).NextBytes(small);

        // Warm-up (JIT, connection pools, the worker's Redis and S3 clients): until the JIT has settled, rounds of 100
        // 4 KiB objects and 2 just over 1 MiB (versions the worker checks at the destination first) written, replicated
        // by a running worker and copied by the client, so that neither measurement pays for compiling its code. The
        // buckets are versioned, so every round stays on the devices: ~2 MiB on east and ~4 MiB on west per round.
        await ReplicatedBucketAsync(east, west, "warm");
        await CreateVersionedAsync(west, "warm-copy");
        var medium = new byte[(1 << 20) + 4096];
        new Random(2).NextBytes(medium);
        var warmRound = 0;
        await using (var worker = await bench.StartWorkerAsync())
        {
            var warmup = await JitSettling.RunAsync(async () =>
            {
                var prefix = $"w{warmRound++}/";
                await WriteAsync(east, "warm", prefix, WarmObjects, concurrency, i => new ByteArrayContent(i < 2 ? medium : small));
                await DrainAsync(redis, west, "warm", prefix, WarmObjects, TimeSpan.FromSeconds(120));
                await CopyAsync(east, west, "warm", "warm-copy", prefix, WarmObjects, concurrency);
            }, TimeSpan.FromSeconds(120));
            warmup.Note("layer", "replication");
            output.Write(warmup);

            // The last round's entries may leave the stream just after west lists them: the measurements start on an empty one.
            await DrainAsync(redis, west, "warm", $"w{warmRound - 1}/", WarmObjects, TimeSpan.FromSeconds(120));
        }

        // 1. 4 KiB objects/s.
        var smallResult = await ThroughputAsync(output, bench, redis, east, west, "r4k", smallCount, 4096, concurrency, workerConcurrency,
            _ => new ByteArrayContent(small));

        // 2. 64 MiB MB/s.
        var pattern = new byte[1 << 20];
        new Random(64).NextBytes(pattern);
        await ThroughputAsync(output, bench, redis, east, west, "r64m", largeCount, largeSize, concurrency, workerConcurrency,
            i => new PatternContent(pattern, largeSize, i));

        // 3. Lag under a sustained write rate.
        var rate = Math.Max(1, lagFraction * smallResult.ReplicatedPerSecond);
        await LagAsync(output, bench, redis, east, west, rate, lagSeconds, sampleMs, concurrency, small, smallResult.CopyP50Ms, lagFraction);
    }

    private sealed record Throughput(double ReplicatedPerSecond, double CopyP50Ms);

    private static async Task<Throughput> ThroughputAsync(ResultFile output, TwoSites bench, RedisServer redis, S3LoadClient east, S3LoadClient west,
        string bucket, int count, long size, int concurrency, int workerConcurrency, Func<int, HttpContent> body)
    {
        Log($"{bucket}: {count} objects of {size} bytes");
        await ReplicatedBucketAsync(east, west, bucket);
        await CreateVersionedAsync(west, bucket + "-copy");
        var writes = await WriteAsync(east, bucket, "k/", count, concurrency, body);
        var relayWatch = Stopwatch.StartNew();
        await WaitForRelayAsync(redis, count);
        var relaySeconds = relayWatch.Elapsed.TotalSeconds;

        // The worker starts with a backlog of exactly `count` entries; the clock includes its start-up (~ms, warm JIT).
        var requestsBefore = bench.Requests.Snapshot();
        var cpu = CpuTime.Now();
        var started = Stopwatch.GetTimestamp();
        double seconds;
        double drainedSeconds;
        await using (var worker = await bench.StartWorkerAsync())
        {
            drainedSeconds = await DrainAsync(redis, west, bucket, "k/", count, TimeSpan.FromSeconds(600));
            seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        var replicationCpu = (CpuTime.Now() - cpu).TotalSeconds;
        var requestsAfterReplication = bench.Requests.Snapshot();
        var deadLetters = await redis.StreamLengthAsync(ReplicationStream.DeadLetterName(East));

        var copyConcurrency = Math.Min(workerConcurrency, count);
        var copy = await CopyAsync(east, west, bucket, bucket + "-copy", "k/", count, copyConcurrency);
        var requestsAfterCopy = bench.Requests.Snapshot();

        var result = new BenchResult("replication-throughput");
        result.Note("bucket", bucket);
        result.Add("objects", count);
        result.Add("size", size);
        result.Add("worker_concurrency", workerConcurrency);
        result.Add("copy_concurrency", copyConcurrency);
        result.Add("write_concurrency", concurrency);
        result.Add("replicated_seconds", seconds);
        result.Add("stream_empty_seconds", drainedSeconds);
        result.Add("replicated_ops_s", count / seconds);
        result.Add("replicated_mb_s", count * (double)size / seconds / 1e6);
        result.Add("replicated_cpu_us_per_op", replicationCpu * 1e6 / count);
        result.Add("copy_seconds", copy.Seconds);
        result.Add("copy_ops_s", copy.OpsPerSecond);
        result.Add("copy_mb_s", copy.MegabytesPerSecond);
        result.Add("copy_p50_ms", copy.P50Ms);
        result.Add("copy_p99_ms", copy.P99Ms);
        result.Add("copy_cpu_us_per_op", copy.CpuMicrosecondsPerOperation);
        // Both include the west list calls that confirm the count (a few per run).
        RequestCounts.Report(result, "replicated", requestsBefore, requestsAfterReplication, count);
        RequestCounts.Report(result, "copy", requestsAfterReplication, requestsAfterCopy, count);
        result.Add("write_ops_s", writes.OpsPerSecond);
        result.Add("write_mb_s", writes.MegabytesPerSecond);
        result.Add("write_p50_ms", writes.P50Ms);
        result.Add("write_p99_ms", writes.P99Ms);
        result.Add("relay_wait_seconds", relaySeconds);
        result.Add("dead_letters", deadLetters);
        result.Add("load1", LoadAverage());
        output.Write(result);
        return new Throughput(count / seconds, copy.P50Ms);
    }

    private static async Task LagAsync(ResultFile output, TwoSites bench, RedisServer redis, S3LoadClient east, S3LoadClient west,
        double rate, double seconds, int sampleMs, int maxInFlight, byte[] body, double copyP50Ms, double fraction)
    {
        const string bucket = "rlag";
        var count = Math.Max(1, (int)(rate * seconds));
        Log($"lag: {count} objects at {rate:0.#}/s for {seconds} s");
        await ReplicatedBucketAsync(east, west, bucket);
        var stream = ReplicationStream.Name(East);
        await using var worker = await bench.StartWorkerAsync();

        var acked = new long[count];
        var seen = new long[count];
        var notSeenBefore = new long[count]; // start of the previous list round, which did not find the key yet
        var putLatency = new LatencyRecorder();
        var backlog = new List<(double Seconds, long Length)>();
        using var stop = new CancellationTokenSource();
        var origin = Stopwatch.GetTimestamp();
        var behind = 0;

        // Sampler: list west from the first key not seen yet, every sampleMs; the page's arrival time stamps new keys.
        var sampler = Task.Run(async () =>
        {
            var firstMissing = 0;
            var previousRound = origin;
            while (firstMissing < count)
            {
                var round = Stopwatch.GetTimestamp();
                var startAfter = firstMissing == 0 ? null : Key("k/", firstMissing - 1);
                while (true)
                {
                    var (keys, truncated) = await ListPageAsync(west, bucket, "k/", startAfter);
                    var now = Stopwatch.GetTimestamp();
                    foreach (var key in keys)
                    {
                        var index = int.Parse(key.AsSpan(2), CultureInfo.InvariantCulture);
                        if (index < count && seen[index] == 0)
                        {
                            seen[index] = now;
                            notSeenBefore[index] = previousRound;
                        }
                    }

                    if (!truncated || keys.Count == 0)
                    {
                        break;
                    }

                    startAfter = keys[^1];
                }

                while (firstMissing < count && seen[firstMissing] != 0)
                {
                    firstMissing++;
                }

                previousRound = round;

                var wait = TimeSpan.FromMilliseconds(sampleMs) - Stopwatch.GetElapsedTime(round);
                if (firstMissing < count && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                if (stop.IsCancellationRequested)
                {
                    break;
                }
            }
        });
        var backlogSampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var length = await redis.StreamLengthAsync(stream);
                lock (backlog)
                {
                    backlog.Add((Stopwatch.GetElapsedTime(origin).TotalSeconds, length));
                }

                await Task.Delay(1000, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });

        // Writer: open loop, object i is due at origin + i / rate; at most maxInFlight PUTs outstanding.
        using var slots = new SemaphoreSlim(maxInFlight);
        var puts = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var due = origin + (long)(i / rate * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
            }

            if (!slots.Wait(0))
            {
                behind++;
                await slots.WaitAsync();
            }

            var index = i;
            puts.Add(Task.Run(async () =>
            {
                try
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await east.PutAsync(bucket, Key("k/", index), new ByteArrayContent(body), CancellationToken.None);
                    var t1 = Stopwatch.GetTimestamp();
                    acked[index] = t1;
                    putLatency.AddRange([t1 - t0]);
                }
                finally
                {
                    slots.Release();
                }
            }));
        }

        await Task.WhenAll(puts);
        var writeSeconds = Stopwatch.GetElapsedTime(origin).TotalSeconds;
        var backlogAtEnd = await redis.StreamLengthAsync(stream);
        var drainWatch = Stopwatch.StartNew();
        var finished = await Task.WhenAny(sampler, Task.Delay(TimeSpan.FromSeconds(Math.Max(60, seconds * 2)))) == sampler;
        var drainSeconds = drainWatch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(sampler, backlogSampler);
        var deadLetters = await redis.StreamLengthAsync(ReplicationStream.DeadLetterName(East));

        var lags = new List<double>(count);
        var lowerBounds = new List<double>(count);
        var missing = 0;
        for (var i = 0; i < count; i++)
        {
            if (seen[i] == 0)
            {
                missing++;
                continue;
            }

            lags.Add((seen[i] - acked[i]) * 1000.0 / Stopwatch.Frequency);
            lowerBounds.Add(Math.Max(0, notSeenBefore[i] - acked[i]) * 1000.0 / Stopwatch.Frequency);
        }

        lags.Sort();
        lowerBounds.Sort();
        static double Rank(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
        double Percentile(double p) => Rank(lags, p);
        (double Seconds, long Length)[] samples;
        lock (backlog)
        {
            samples = backlog.Where(s => s.Seconds <= writeSeconds).ToArray();
        }

        var half = writeSeconds / 2;
        double Mean(IEnumerable<long> values) => values.DefaultIfEmpty(0).Average(v => (double)v);

        var result = new BenchResult("replication-lag");
        result.Add("objects", count);
        result.Add("size", body.Length);
        result.Add("target_rate", rate);
        result.Add("rate_fraction", fraction);
        result.Add("achieved_rate", count / writeSeconds);
        result.Add("write_seconds", writeSeconds);
        result.Add("writes_behind_schedule", behind);
        result.Add("put_p50_ms", putLatency.PercentileMs(50));
        result.Add("put_p99_ms", putLatency.PercentileMs(99));
        result.Add("sample_ms", sampleMs);
        result.Add("lag_p50_ms", Percentile(50));
        result.Add("lag_p95_ms", Percentile(95));
        result.Add("lag_p99_ms", Percentile(99));
        result.Add("lag_max_ms", lags.Count == 0 ? 0 : lags[^1]);
        result.Add("lag_min_ms", lags.Count == 0 ? 0 : lags[0]);
        // The key was absent from the round before the one that found it: the lag is at least (that round's start −
        // ack), clamped at 0. The true lag lies between this and lag_*.
        result.Add("lag_lower_p50_ms", Rank(lowerBounds, 50));
        result.Add("lag_lower_p99_ms", Rank(lowerBounds, 99));
        result.Add("copy_p50_ms", copyP50Ms);
        result.Add("missing", missing);
        result.Add("all_replicated", finished && missing == 0 ? 1 : 0);
        result.Add("drain_seconds_after_writes", drainSeconds);
        result.Add("backlog_end", backlogAtEnd);
        result.Add("backlog_max", samples.Select(s => s.Length).DefaultIfEmpty(backlogAtEnd).Max());
        result.Add("backlog_mean_first_half", Mean(samples.Where(s => s.Seconds < half).Select(s => s.Length)));
        result.Add("backlog_mean_second_half", Mean(samples.Where(s => s.Seconds >= half).Select(s => s.Length)));
        result.Add("dead_letters", deadLetters);
        result.Add("load1", LoadAverage());
        result.Note("backlog_samples", string.Join(' ', samples.Select(s => s.Length.ToString(CultureInfo.InvariantCulture))));
        output.Write(result);
    }

    private static async Task<CellResult> WriteAsync(S3LoadClient east, string bucket, string prefix, int count, int concurrency, Func<int, HttpContent> body)
    {
        var next = -1;
        return await Workload.RunAsync(Math.Min(concurrency, count), 24 * 3600, async (_, _) =>
        {
            var index = Interlocked.Increment(ref next);
            if (index >= count)
            {
                return -1;
            }

            using var content = body(index);
            await east.PutAsync(bucket, Key(prefix, index), content, CancellationToken.None);
            return content.Headers.ContentLength ?? 0;
        });
    }

    private static async Task<CellResult> CopyAsync(S3LoadClient east, S3LoadClient west, string bucket, string destination, string prefix, int count, int concurrency)
    {
        var next = -1;
        return await Workload.RunAsync(Math.Min(concurrency, count), 24 * 3600, async (_, _) =>
        {
            var index = Interlocked.Increment(ref next);
            return index >= count ? -1 : await east.CopyToAsync(bucket, Key(prefix, index), west, destination, Key(prefix, index), CancellationToken.None);
        });
    }

    /// <summary>Waits until the east nodes have relayed <paramref name="count"/> entries to the (otherwise empty) stream.</summary>
    private static async Task WaitForRelayAsync(RedisServer redis, long count)
    {
        var stream = ReplicationStream.Name(East);
        var deadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        long length;
        while ((length = await redis.StreamLengthAsync(stream)) < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"The nodes relayed {length} of {count} entries to {stream} within 120 s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until the worker has emptied the stream (every entry copied, reported to its node, XACK+XDEL) and west
    /// lists all <paramref name="count"/> keys; returns the seconds until the stream was empty.
    /// </summary>
    private static async Task<double> DrainAsync(RedisServer redis, S3LoadClient west, string bucket, string prefix, int count, TimeSpan timeout)
    {
        var stream = ReplicationStream.Name(East);
        var watch = Stopwatch.StartNew();
        while (await redis.StreamLengthAsync(stream) > 0)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{stream} still has {await redis.StreamLengthAsync(stream)} entries after {timeout}.");
            }

            await Task.Delay(20);
        }

        var emptied = watch.Elapsed.TotalSeconds;
        while (await CountAsync(west, bucket, prefix) < count)
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"west lists {await CountAsync(west, bucket, prefix)} of {count} keys in {bucket} after {timeout}.");
            }

            await Task.Delay(50);
        }

        return emptied;
    }

    private static async Task<int> CountAsync(S3LoadClient client, string bucket, string prefix)
    {
        var total = 0;
        string? startAfter = null;
        while (true)
        {
            var (keys, truncated) = await ListPageAsync(client, bucket, prefix, startAfter);
            total += keys.Count;
            if (!truncated || keys.Count == 0)
            {
                return total;
            }

            startAfter = keys[^1];
        }
    }

    private static async Task<(List<string> Keys, bool Truncated)> ListPageAsync(S3LoadClient client, string bucket, string prefix, string? startAfter)
    {
        var query = $"list-type=2&max-keys=1000&prefix={Escape(prefix)}" + (startAfter is null ? "" : $"&start-after={Escape(startAfter)}");
        var xml = await client.SendTextAsync(HttpMethod.Get, "/" + bucket, query, null, CancellationToken.None);
        var keys = KeyPattern().Matches(xml).Select(m => m.Groups[1].Value).ToList();
        return (keys, xml.Contains("<IsTruncated>true</IsTruncated>", StringComparison.Ordinal));
    }

    /// <summary>The bucket on both sites, versioning Enabled; east's replicates everything to west's (delete markers too).</summary>
    private static async Task ReplicatedBucketAsync(S3LoadClient east, S3LoadClient west, string bucket)
    {
        await CreateVersionedAsync(west, bucket);
        await CreateVersionedAsync(east, bucket);
        var configuration = $"""
            <ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Role>arn:aws:iam::000000000000:role/replication</Role>
              <Rule><ID>to-west</ID><Priority>1</Priority><Status>Enabled</Status><Filter><Prefix></Prefix></Filter>
                <DeleteMarkerReplication><Status>Enabled</Status></DeleteMarkerReplication>
                <Destination><Bucket>arn:aws:s3:{West}::{bucket}</Bucket></Destination></Rule>
            </ReplicationConfiguration>
            """;
        await east.SendTextAsync(HttpMethod.Put, "/" + bucket, "replication=", Xml(configuration), CancellationToken.None);
    }

    private static async Task CreateVersionedAsync(S3LoadClient client, string bucket)
    {
        await client.CreateBucketAsync(bucket, CancellationToken.None);
        const string versioning = """<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>""";
        await client.SendTextAsync(HttpMethod.Put, "/" + bucket, "versioning=", Xml(versioning), CancellationToken.None);
    }

    private static ByteArrayContent Xml(string text)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/xml");
        return content;
    }

    private static string Key(string prefix, int index) => prefix + index.ToString("D7", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("/", "%2F", StringComparison.Ordinal);

    private static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    private static void Log(string message) => Console.Error.WriteLine($"[replication {DateTime.UtcNow:HH:mm:ss}] {message}");

    [GeneratedRegex("<Key>([^<]*)</Key>")]
    private static partial Regex KeyPattern();

    /// <summary>
    /// Requests the services received (a middleware in front of each), for requests-per-object diagnostics: S3 requests
    /// at both API services, internal calls at all storage nodes, and S3 PUTs whose body is signed chunk by chunk
    /// (<c>x-amz-content-sha256: STREAMING-…</c>: a SHA-256 per chunk on both sides).
    /// </summary>
    private sealed class RequestCounts
    {
        private long _api;
        private long _node;
        private long _streamingSigned;

        public (long Api, long Node, long StreamingSigned) Snapshot() =>
            (Interlocked.Read(ref _api), Interlocked.Read(ref _node), Interlocked.Read(ref _streamingSigned));

        public void Api(HttpContext context)
        {
            Interlocked.Increment(ref _api);
            if (context.Request.Headers["x-amz-content-sha256"].ToString().StartsWith("STREAMING-", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _streamingSigned);
            }
        }

        public void Node() => Interlocked.Increment(ref _node);

        /// <summary>Adds <c>{prefix}_api_requests_per_op</c> etc. for the requests between two snapshots.</summary>
        public static void Report(BenchResult result, string prefix, (long Api, long Node, long StreamingSigned) before,
            (long Api, long Node, long StreamingSigned) after, long operations)
        {
            result.Add($"{prefix}_api_requests_per_op", (after.Api - before.Api) / (double)operations);
            result.Add($"{prefix}_node_requests_per_op", (after.Node - before.Node) / (double)operations);
            result.Add($"{prefix}_streaming_signed_per_op", (after.StreamingSigned - before.StreamingSigned) / (double)operations);
        }
    }

    /// <summary>East (2 nodes with the Redis relay) and west (1 node), and a factory for east's replication worker.</summary>
    private sealed class TwoSites : IAsyncDisposable
    {
        private readonly List<WebApplication> _apps = [];
        private readonly Dictionary<string, string?> _workerSettings = [];

        public RequestCounts Requests { get; } = new();

        public Uri EastEndpoint { get; private set; } = null!;

        public Uri WestEndpoint { get; private set; } = null!;

        public static async Task<TwoSites> StartAsync(string root, RedisServer redis, long eastDevice, long westDevice, int workerConcurrency)
        {
            var sites = new TwoSites();
            var westApi = await sites.StartSiteAsync(Path.Combine(root, West), West, ["west1"], westDevice, redis: null, westEndpoint: null);
            sites.WestEndpoint = westApi;
            sites.EastEndpoint = await sites.StartSiteAsync(Path.Combine(root, East), East, ["east1", "east2"], eastDevice, redis, westApi);
            var worker = sites._workerSettings;
            worker["ConnectionStrings:redis"] = redis.ConnectionString;
            worker["Site:Name"] = East;
            worker["Cluster:Secret"] = ComIOSite.ClusterSecret;
            worker["Replication:SourceEndpoint"] = sites.EastEndpoint.ToString();
            worker["Replication:AccessKey"] = ComIOSite.AccessKey;
            worker["Replication:SecretKey"] = ComIOSite.SecretKey;
            worker["Replication:Region"] = ComIOSite.Region;
            worker["Replication:Sites:west:Endpoint"] = westApi.ToString();
            worker["Replication:Concurrency"] = workerConcurrency.ToString(CultureInfo.InvariantCulture);
            return sites;
        }

        /// <summary>
        /// East's replication worker as its <c>Program</c> composes it (service defaults: service discovery for
        /// <c>http://{node}</c>, OpenTelemetry; the Aspire Redis client; <c>AddReplicationWorker</c>), node ids resolved
        /// by service discovery configuration (<c>Services:{node}:http:0</c>). Its console logs go to stderr (warnings and up).
        /// </summary>
        public async Task<IAsyncDisposable> StartWorkerAsync()
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
            {
                EnvironmentName = "Production",
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
            });
            builder.Configuration.AddInMemoryCollection(_workerSettings);
            builder.AddServiceDefaults();
            builder.Logging.ClearProviders();
            builder.Logging.AddConsole(console =>
            {
                console.LogToStandardErrorThreshold = LogLevel.Trace; // the worker's JSON console format, on stderr
            });
            builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
            builder.AddRedisClient("redis", settings => settings.DisableTracing = false);
            builder.Services.AddReplicationWorker();
            var host = builder.Build();
            await host.StartAsync();
            return new StoppingHost(host);
        }

        public async ValueTask DisposeAsync()
        {
            for (var i = _apps.Count - 1; i >= 0; i--)
            {
                await _apps[i].StopAsync();
                await _apps[i].DisposeAsync();
            }
        }

        private async Task<Uri> StartSiteAsync(string root, string site, string[] nodeIds, long deviceBytes, RedisServer? redis, Uri? westEndpoint)
        {
            var api = ComIOSite.ApiSettings();
            api["Site:Name"] = site;
            if (westEndpoint is not null)
            {
                api["Replication:Sites:west:Endpoint"] = westEndpoint.ToString();
            }

            for (var i = 0; i < nodeIds.Length; i++)
            {
                var id = nodeIds[i];
                var settings = ComIOSite.NodeSettings(root, id, deviceBytes);
                settings["Node:Site"] = site;
                if (redis is not null)
                {
                    settings["ConnectionStrings:redis"] = redis.ConnectionString;
                }

                var node = ComIOSite.BuildNode(settings, onRequest: Requests.Node);
                await node.StartAsync();
                _apps.Add(node);
                var url = ComIOSite.AddressOf(node);
                api[$"Cluster:Nodes:{i}"] = id;
                api[$"Cluster:NodeUrls:{id}"] = url.ToString();
                _workerSettings[$"Services:{id}:http:0"] = url.ToString().TrimEnd('/');
            }

            var app = ComIOSite.BuildApi(api, onRequest: Requests.Api);
            await app.StartAsync();
            _apps.Add(app);
            return ComIOSite.AddressOf(app);
        }
    }

    /// <summary>Stops the worker's host (its loops finish their in-flight entries) when disposed.</summary>
    private sealed class StoppingHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
