using System.Diagnostics;
using System.Globalization;
using ComIO.ApiService.Nodes;
using ComIO.Storage;

namespace ComIO.Bench.S3;

/// <summary>
/// Layer 4, scale, on an in-process site (2 nodes). Two buckets: <c>scale-large</c> grows to <c>--keys-small</c> and
/// then <c>--keys-large</c> keys, <c>scale-small</c> to <c>--keys-small</c>. Keys are filled directly through each owning
/// node's <see cref="StorageEngine"/> (0-byte durable PUTs from <c>--fill-writers</c> concurrent writers, placed exactly
/// as the API service places them: site placement, then the node's device choice) — how a bucket gets big fast; the
/// fill rate per segment is reported. Before the fill and at each size, PUT of 4 KiB objects over HTTP
/// (<c>--put-concurrency</c> clients) into the growing bucket. Then ListObjectsV2 pages of 1,000 keys from random
/// start keys, one client, alternating between the two buckets page by page (both see the same machine load and the
/// same JIT state), and the same pages one layer down (engine alone; the API's node client alone).
/// </summary>
internal static class ScaleBenchmark
{
    private const string SmallBucket = "scale-small";
    private const string WarmUpBucket = "scale-warmup";
    private const string LargeBucket = "scale-large";
    private const int PageKeys = 1000;

    public static async Task RunAsync(BenchArguments arguments, ResultFile output)
    {
        var root = arguments.Required("root");
        var small = arguments.Int("keys-small", 10_000);
        var large = arguments.Int("keys-large", 1_000_000);
        var seconds = arguments.Double("seconds", 2);
        var listSeconds = arguments.Double("list-seconds", seconds);
        var fillWriters = arguments.Int("fill-writers", 64);
        var putConcurrency = arguments.Int("put-concurrency", 16);
        var deviceBytes = arguments.Size("device-size", 1L << 30);

        await using var site = await ComIOSite.StartAsync(root, 2, deviceBytes);
        var signer = new SigV4Signer(ComIOSite.AccessKey, ComIOSite.SecretKey, ComIOSite.Region);
        using var client = new S3LoadClient(site.Endpoint, signer);
        await client.CreateBucketAsync(SmallBucket, CancellationToken.None);
        await client.CreateBucketAsync(LargeBucket, CancellationToken.None);
        var body = new byte[4096];
        new Random(7).NextBytes(body);
        var putRound = 0;

        // putConcurrency clients PUT the 4 KiB body for `duration` seconds, each to the keys key(client, iteration) of bucket.
        Task<CellResult> PutBodiesAsync(string bucket, double duration, Func<int, long, string> key) =>
            Workload.RunAsync(putConcurrency, duration, async (w, i) =>
            {
                using var content = new ReadOnlyMemoryContent(body);
                await client.PutAsync(bucket, key(w, i), content, CancellationToken.None);
                return body.Length;
            });

        async Task MeasurePutsAsync(int keys)
        {
            var round = putRound++;
            var cell = await PutBodiesAsync(LargeBucket, seconds, (w, i) => string.Create(CultureInfo.InvariantCulture, $"p/{round}/w{w}/{i:D8}"));
            var result = new BenchResult("scale-put");
            result.Add("bucket_keys", keys);
            result.Add("concurrency", putConcurrency);
            output.Write(cell.AddTo(result));
        }

        async Task FillAsync(string bucket, int from, int to)
        {
            var started = Stopwatch.GetTimestamp();
            var cpu = CpuTime.Now();
            await FillKeysAsync(site, bucket, from, to, fillWriters);
            var fill = new BenchResult("scale-fill");
            fill.Note("bucket", bucket);
            fill.Add("from_keys", from);
            fill.Add("to_keys", to);
            fill.Add("writers", fillWriters);
            fill.Add("puts_s", (to - from) / Stopwatch.GetElapsedTime(started).TotalSeconds);
            fill.Add("cpu_us_per_put", (CpuTime.Now() - cpu).TotalMicroseconds / Math.Max(1, to - from));
            output.Write(fill);
        }

        // Until the JIT has settled, the same PUTs into a bucket of their own (the measured bucket stays empty for the first
        // cell), overwriting 256 keys per client so that the warm-up adds little to the nodes' metadata stores.
        await client.CreateBucketAsync(WarmUpBucket, CancellationToken.None);
        var warmup = await JitSettling.RunAsync(
            () => PutBodiesAsync(WarmUpBucket, 0.5, (w, i) => string.Create(CultureInfo.InvariantCulture, $"w{w}/{i % 256:D3}")), TimeSpan.FromSeconds(120));
        warmup.Note("layer", "scale");
        output.Write(warmup);

        await MeasurePutsAsync(0);
        await FillAsync(LargeBucket, 0, small);
        await MeasurePutsAsync(small);
        await FillAsync(LargeBucket, small, large);
        await MeasurePutsAsync(large);
        await FillAsync(SmallBucket, 0, small);

        await MeasureListAsync(client, [(SmallBucket, small), (LargeBucket, large)], 1, null); // warm-up: JIT, connections
        await MeasureListAsync(client, [(SmallBucket, small), (LargeBucket, large)], listSeconds, output);
        await MeasureListLayersAsync(site, [(SmallBucket, small), (LargeBucket, large)], listSeconds / 2, output);
    }

    internal static string FillKey(int index) => string.Create(CultureInfo.InvariantCulture, $"k/{index:D9}");

    private static async Task FillKeysAsync(ComIOSite site, string bucket, int from, int to, int writers)
    {
        var next = from - 1;
        var cluster = site.Cluster;
        var tasks = Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < to)
            {
                var key = FillKey(index);
                var engine = site.Engines[cluster.OwnerOf(bucket, key).Id].For(bucket, key);
                var put = await engine.PutObjectAsync(new PutObjectRequest { Bucket = bucket, Key = key, ContentLength = 0 }, Stream.Null);
                if (put.Status != EngineStatus.Ok)
                {
                    throw new InvalidOperationException($"Engine PUT {bucket}/{key}: {put.Status}");
                }
            }
        }));
        await Task.WhenAll(tasks);
    }

    /// <summary>Alternates one page per bucket until the deadline; one line per bucket (null output = warm-up).</summary>
    private static async Task MeasureListAsync(S3LoadClient client, (string Bucket, int Keys)[] buckets, double seconds, ResultFile? output)
    {
        var sink = new byte[1 << 20];
        var random = new Random(11);
        var latency = buckets.Select(_ => new LatencyRecorder()).ToArray();
        var ticks = buckets.Select(_ => new List<long>()).ToArray();
        var pageBytes = new long[buckets.Length];
        var cpu = new TimeSpan[buckets.Length];
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        for (var i = 0; Stopwatch.GetTimestamp() < deadline; i++)
        {
            for (var b = 0; b < buckets.Length; b++)
            {
                // Random page starts over the whole bucket (the first page every 10th request).
                var startAfter = i % 10 == 0 ? null : FillKey(random.Next(0, Math.Max(1, buckets[b].Keys - PageKeys)));
                var cpu0 = CpuTime.Now();
                var t0 = Stopwatch.GetTimestamp();
                pageBytes[b] = await client.ListAsync(buckets[b].Bucket, "k/", PageKeys, startAfter, sink, CancellationToken.None);
                ticks[b].Add(Stopwatch.GetTimestamp() - t0);
                cpu[b] += CpuTime.Now() - cpu0;
            }
        }

        for (var b = 0; b < buckets.Length && output is not null; b++)
        {
            latency[b].AddRange(ticks[b]);
            var result = new BenchResult("scale-list");
            result.Note("bucket", buckets[b].Bucket);
            result.Add("bucket_keys", buckets[b].Keys);
            result.Add("page_keys", PageKeys);
            result.Add("page_bytes", pageBytes[b]);
            result.Add("ops", ticks[b].Count);
            result.Add("p50_ms", latency[b].PercentileMs(50));
            result.Add("p99_ms", latency[b].PercentileMs(99));
            result.Add("cpu_us_per_op", cpu[b].TotalMicroseconds / Math.Max(1, ticks[b].Count));
            output.Write(result);
        }
    }

    /// <summary>
    /// Where a page's time goes, per bucket: the engines' <see cref="StorageEngine.ListObjects"/> alone (every node's
    /// engine, one after the other, 1,001 keys as the API asks), and the API's scatter step alone (its
    /// <see cref="StorageNodeClient"/> asking both nodes concurrently over HTTP, binary page decoded) — no merge, XML or
    /// authentication. Compare with the S3 page of <see cref="MeasureListAsync"/>.
    /// </summary>
    private static async Task MeasureListLayersAsync(ComIOSite site, (string Bucket, int Keys)[] buckets, double seconds, ResultFile output)
    {
        var random = new Random(13);
        var engines = site.NodeIds.SelectMany(id => site.Engines[id].All).ToArray();
        var nodes = site.ApiServices.GetRequiredService<StorageNodeClient>();
        var cluster = site.Cluster;
        foreach (var (bucket, keys) in buckets)
        {
            var engineCell = await Workload.RunAsync(1, seconds, (_, _) =>
            {
                var startAfter = FillKey(random.Next(0, Math.Max(1, keys - PageKeys)));
                long n = 0;
                foreach (var engine in engines)
                {
                    n += engine.ListObjects(bucket, "k/", startAfter, PageKeys + 1).Objects.Count;
                }

                return Task.FromResult(n);
            });
            var nodeCell = await Workload.RunAsync(1, seconds, async (_, _) =>
            {
                var startAfter = FillKey(random.Next(0, Math.Max(1, keys - PageKeys)));
                var pages = await Task.WhenAll(cluster.All.Select(node => nodes.ListAsync(node, bucket, "k/", startAfter, PageKeys + 1, CancellationToken.None)));
                return pages.Sum(p => (long)p.OrThrow()!.Objects.Count);
            });
            var result = new BenchResult("scale-list-layers");
            result.Note("bucket", bucket);
            result.Add("bucket_keys", keys);
            result.Add("engine_p50_ms", engineCell.P50Ms);
            result.Add("engine_p99_ms", engineCell.P99Ms);
            result.Add("engine_cpu_us_per_page", engineCell.CpuMicrosecondsPerOperation);
            result.Add("engine_pages", engineCell.Operations);
            result.Add("node_p50_ms", nodeCell.P50Ms);
            result.Add("node_p99_ms", nodeCell.P99Ms);
            result.Add("node_cpu_us_per_page", nodeCell.CpuMicrosecondsPerOperation);
            result.Add("node_pages", nodeCell.Operations);
            output.Write(result);
        }
    }
}
