using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ComIO.ApiService.Admin;

namespace ComIO.Bench.S3;

/// <summary>
/// Layer 3: S3 over HTTP. One process hosts the ComIO site (API service + storage nodes on loopback Kestrel, O_DIRECT
/// file devices under <c>--root</c>) and the bare Kestrel ceiling, and drives both with the same SigV4-signing
/// generator. For every size and concurrency: PUT then GET, each cell on ComIO immediately followed by the same cell on
/// the ceiling and on the two-hop ceiling (<see cref="TwoHopCeilingServer"/>: the ceiling behind a bare forwarding
/// front end), so all see the same machine load; at the smallest size also HEAD, ListObjectsV2 (100 keys),
/// ListObjectVersions (100 versions) and DELETE.
/// Each cell line has <c>target</c> = comio|ceiling|two-hop, <c>op</c>, <c>size</c>, <c>concurrency</c> and the
/// figures of <see cref="CellResult"/>.
/// </summary>
internal static class HttpLayerBenchmark
{
    private const string Bucket = "bench";
    private const int ListPageKeys = 100;

    public static async Task RunAsync(BenchArguments arguments, ResultFile output)
    {
        var root = arguments.Required("root");
        var sizes = arguments.Required("sizes").Split(',').Select(s => new BenchArguments(["--s", s]).Size("s", 0)).ToArray();
        var concurrencies = arguments.Required("concurrency").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var seconds = arguments.Double("seconds", 2);
        var deviceBytes = arguments.Size("device-size", 2L << 30);
        var keyBytes = arguments.Size("key-bytes", 256L << 20); // bound on distinct live bytes per (size, concurrency) cell
        var largeConcurrencyCap = arguments.Int("large-concurrency-cap", int.MaxValue); // objects >= 64 MiB: at most this many streams
        var data = new byte[Math.Max(1 << 20, sizes.Max())];
        new Random(20261126).NextBytes(data);

        using var commitGroups = new CommitGroupCounter();
        await using var site = await ComIOSite.StartAsync(root, 2, deviceBytes);
        await using var ceiling = await CeilingServer.StartAsync(data);
        await using var twoHop = await TwoHopCeilingServer.StartAsync(ceiling.Endpoint);
        var signer = new SigV4Signer(ComIOSite.AccessKey, ComIOSite.SecretKey, ComIOSite.Region);
        using var comio = new S3LoadClient(site.Endpoint, signer);
        using var bare = new S3LoadClient(ceiling.Endpoint, signer);
        using var proxied = new S3LoadClient(twoHop.Endpoint, signer);
        // --targets comio (or ceiling, two-hop) runs only those: a diagnostic for profiling one target, not a report run.
        // comio-user (never by default) is ComIO again, signed with an IAM user's key instead of the admin's.
        var only = arguments.Optional("targets")?.Split(',') ?? ["comio", "ceiling", "two-hop"];
        using var user = only.Contains("comio-user") ? await NewUserClientAsync(comio, site.Endpoint) : null;
        var targets = new (string Name, S3LoadClient? Client)[] { ("comio", comio), ("comio-user", user), ("ceiling", bare), ("two-hop", proxied) }
            .Where(t => only.Contains(t.Name)).Select(t => (t.Name, t.Client!)).ToArray();
        // --ops PUT (or PUT,GET, ...) measures only those operations after the PUT every cell starts with (GET, HEAD and
        // DELETE read the keys it wrote): also a profiling diagnostic.
        var ops = arguments.Optional("ops")?.Split(',') ?? ["PUT", "GET", "HEAD", "LIST", "LISTV", "DELETE"];
        foreach (var (_, client) in targets.Where(t => t.Name != "comio-user"))
        {
            await client.CreateBucketAsync(Bucket, CancellationToken.None);
        }

        output.Write(MeasureSigner(signer, site.Endpoint.Authority));
        var warmup = await WarmUpAsync(targets, data);
        warmup.Note("layer", "http");
        output.Write(warmup);

        var smallest = sizes.Min();
        (long NodeRequests, long Groups, long Operations) before = default;
        (long, long, long) Mark()
        {
            var (groups, operations) = commitGroups.Snapshot;
            return (site.NodeRequests, groups, operations);
        }

        foreach (var size in sizes)
        {
            foreach (var concurrency in concurrencies.Select(c => size >= 64L << 20 ? Math.Min(c, largeConcurrencyCap) : c).Distinct())
            {
                var keysPerWorker = size <= 64 * 1024 ? long.MaxValue : Math.Max(1, keyBytes / size / concurrency);
                var written = new Dictionary<string, long[]>();
                var sinks = Enumerable.Range(0, concurrency).Select(_ => new byte[256 * 1024]).ToArray();
                foreach (var (name, client) in targets)
                {
                    var counts = new long[concurrency];
                    written[name] = counts;
                    before = Mark();
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, i) =>
                    {
                        using var content = new ReadOnlyMemoryContent(data.AsMemory(0, (int)size));
                        await client.PutAsync(Bucket, Key(size, concurrency, w, i % keysPerWorker), content, CancellationToken.None);
                        counts[w] = Math.Max(counts[w], Math.Min(i + 1, keysPerWorker));
                        return size;
                    });
                    output.Write(Cell(site, commitGroups, before, name, "PUT", size, concurrency, cell));
                }

                foreach (var (name, client) in targets.Where(_ => ops.Contains("GET")))
                {
                    var counts = written[name];
                    before = Mark();
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, i) =>
                    {
                        var n = await client.GetAsync(Bucket, Key(size, concurrency, w, i % Math.Max(1, counts[w])), sinks[w], CancellationToken.None);
                        return n == size ? n : throw new InvalidOperationException($"GET returned {n} bytes, expected {size}.");
                    });
                    output.Write(Cell(site, commitGroups, before, name, "GET", size, concurrency, cell));
                }

                if (size != smallest)
                {
                    continue;
                }

                foreach (var (name, client) in targets.Where(_ => ops.Contains("HEAD")))
                {
                    var counts = written[name];
                    before = Mark();
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, i) =>
                    {
                        await client.HeadAsync(Bucket, Key(size, concurrency, w, i % Math.Max(1, counts[w])), CancellationToken.None);
                        return 0;
                    });
                    output.Write(Cell(site, commitGroups, before, name, "HEAD", size, concurrency, cell));
                }

                foreach (var (name, client) in targets.Where(_ => ops.Contains("LIST")))
                {
                    before = Mark();
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, _) =>
                        await client.ListAsync(Bucket, $"{size}/", ListPageKeys, null, sinks[w], CancellationToken.None));
                    var line = Cell(site, commitGroups, before, name, "LIST", size, concurrency, cell);
                    line.Add("page_keys", ListPageKeys);
                    output.Write(line);
                }

                foreach (var (name, client) in targets.Where(_ => ops.Contains("LISTV")))
                {
                    before = Mark();
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, _) =>
                        await client.ListVersionsAsync(Bucket, $"{size}/", ListPageKeys, sinks[w], CancellationToken.None));
                    var line = Cell(site, commitGroups, before, name, "LISTV", size, concurrency, cell);
                    line.Add("page_keys", ListPageKeys);
                    output.Write(line);
                }

                foreach (var (name, client) in targets.Where(_ => ops.Contains("DELETE")))
                {
                    var counts = written[name];
                    before = Mark();
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, i) =>
                    {
                        if (i >= counts[w])
                        {
                            return -1;
                        }

                        await client.DeleteAsync(Bucket, Key(size, concurrency, w, i), CancellationToken.None);
                        return 0;
                    });
                    output.Write(Cell(site, commitGroups, before, name, "DELETE", size, concurrency, cell));
                }
            }
        }
    }

    internal static string Key(long size, int concurrency, int worker, long index) =>
        string.Create(CultureInfo.InvariantCulture, $"{size}/c{concurrency}/w{worker}/{index:D8}");

    private static BenchResult Cell(ComIOSite site, CommitGroupCounter commitGroups, (long NodeRequests, long Groups, long Operations) before, string target, string op, long size, int concurrency, CellResult cell)
    {
        var result = new BenchResult("s3");
        if (target == "comio")
        {
            result.Add("node_requests_per_op", (site.NodeRequests - before.NodeRequests) / (double)Math.Max(1, cell.Operations));
            var (groups, operations) = commitGroups.Snapshot;
            if (groups > before.Groups)
            {
                result.Add("mean_commit_group", (operations - before.Operations) / (double)(groups - before.Groups));
            }
        }

        result.Note("target", target);
        result.Note("op", op);
        result.Add("size", size);
        result.Add("concurrency", concurrency);
        return cell.AddTo(result);
    }

    /// <summary>The generator's own signing cost (one request's SigV4 work) on one thread.</summary>
    private static BenchResult MeasureSigner(SigV4Signer signer, string host)
    {
        const int iterations = 20000;
        for (var i = 0; i < 2000; i++)
        {
            signer.Sign("PUT", host, "/bench/4096/c1/w0/00000001", "", DateTime.UtcNow);
        }

        var cpu = CpuTime.Now();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            signer.Sign("PUT", host, "/bench/4096/c1/w0/00000001", "", DateTime.UtcNow);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var result = new BenchResult("signer");
        result.Add("us_per_sign", elapsed.TotalMicroseconds / iterations);
        result.Add("cpu_us_per_sign", (CpuTime.Now() - cpu).TotalMicroseconds / iterations);
        return result;
    }

    /// <summary>A client signing with the key of a new IAM user (through the admin API) allowed everything on <see cref="Bucket"/>.</summary>
    private static async Task<S3LoadClient> NewUserClientAsync(S3LoadClient admin, Uri endpoint)
    {
        const string Admin = "/_comio/admin/v1";
        const string Name = "bench-user";
        using var create = new StringContent(JsonSerializer.Serialize(new CreateUserRequest(Name), AdminJsonContext.Default.CreateUserRequest), System.Text.Encoding.UTF8, "application/json");
        await admin.SendTextAsync(HttpMethod.Post, $"{Admin}/users", "", create, CancellationToken.None, HttpStatusCode.Created);
        var key = JsonSerializer.Deserialize(await admin.SendTextAsync(HttpMethod.Post, $"{Admin}/users/{Name}/keys", "", null, CancellationToken.None, HttpStatusCode.Created), AdminJsonContext.Default.NewAccessKeyView)!;
        var policy = $$$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::{{{Bucket}}}","arn:aws:s3:::{{{Bucket}}}/*"]}]}""";
        using var attach = new StringContent(policy, System.Text.Encoding.UTF8, "application/json");
        await admin.SendTextAsync(HttpMethod.Put, $"{Admin}/users/{Name}/policies/bench", "", attach, CancellationToken.None);
        return new S3LoadClient(endpoint, new SigV4Signer(key.AccessKeyId, key.SecretAccessKey, ComIOSite.Region));
    }

    /// <summary>
    /// Until the JIT has settled (<see cref="JitSettling"/>), rounds of every target's request mix — PUT, GET, HEAD and
    /// DELETE of 4 KiB objects and every 20th of 1 MiB, a 100-key ListObjectsV2 every 10th — from 1 and from 8 streams,
    /// so that no cell pays for compiling the code it measures.
    /// </summary>
    private static async Task<BenchResult> WarmUpAsync((string Name, S3LoadClient Client)[] targets, byte[] data)
    {
        var sinks = Enumerable.Range(0, 8).Select(_ => new byte[256 * 1024]).ToArray();
        return await JitSettling.RunAsync(async () =>
        {
            foreach (var (_, client) in targets)
            {
                foreach (var (streams, seconds) in new[] { (1, 0.2), (8, 0.4) })
                {
                    await Workload.RunAsync(streams, seconds, async (w, i) =>
                    {
                        var size = i % 20 == 0 ? 1 << 20 : 4096;
                        using var content = new ReadOnlyMemoryContent(data.AsMemory(0, size));
                        var key = $"{size}/warmup/w{w}/{i:D8}";
                        await client.PutAsync(Bucket, key, content, CancellationToken.None);
                        await client.GetAsync(Bucket, key, sinks[w], CancellationToken.None);
                        await client.HeadAsync(Bucket, key, CancellationToken.None);
                        if (i % 10 == 0)
                        {
                            await client.ListAsync(Bucket, "4096/", ListPageKeys, null, sinks[w], CancellationToken.None);
                        }

                        await client.DeleteAsync(Bucket, key, CancellationToken.None);
                        return size;
                    });
                }
            }
        }, TimeSpan.FromSeconds(120));
    }
}
