using System.Globalization;

namespace ComIO.Bench.S3;

/// <summary>
/// Encryption at rest over HTTP: 1 MiB (by default) PUT and GET on the same site into two buckets, one unencrypted and one
/// with SSE-S3 default encryption (so the requests are byte-identical apart from the bucket name), cells alternating
/// plain / SSE per round so both see the same machine load. Lines: <c>command</c> = sse, <c>target</c> = plain|sse,
/// <c>op</c>, <c>size</c>, <c>concurrency</c>, <c>round</c> and the figures of <see cref="CellResult"/>.
/// </summary>
internal static class SseBenchmark
{
    private const string Plain = "bench-plain";
    private const string Encrypted = "bench-sse";

    public static async Task RunAsync(BenchArguments arguments, ResultFile output)
    {
        var root = arguments.Required("root");
        var size = arguments.Size("size", 1 << 20);
        var concurrencies = arguments.Required("concurrency").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var seconds = arguments.Double("seconds", 2);
        var rounds = arguments.Int("rounds", 3);
        var deviceBytes = arguments.Size("device-size", 2L << 30);
        var keyBytes = arguments.Size("key-bytes", 128L << 20);
        var data = new byte[size];
        new Random(20261126).NextBytes(data);

        await using var site = await ComIOSite.StartAsync(root, 2, deviceBytes);
        var signer = new SigV4Signer(ComIOSite.AccessKey, ComIOSite.SecretKey, ComIOSite.Region);
        using var client = new S3LoadClient(site.Endpoint, signer);
        await client.CreateBucketAsync(Plain, CancellationToken.None);
        await client.CreateBucketAsync(Encrypted, CancellationToken.None);
        await client.PutBucketSubresourceAsync(Encrypted, "encryption",
            "<ServerSideEncryptionConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule><ApplyServerSideEncryptionByDefault>"
            + "<SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>", CancellationToken.None);

        var sink = new byte[256 * 1024];
        foreach (var bucket in new[] { Plain, Encrypted })
        {
            for (var i = 0; i < 50; i++)
            {
                using var content = new ReadOnlyMemoryContent(data);
                await client.PutAsync(bucket, $"warmup/{i}", content, CancellationToken.None);
                await client.GetAsync(bucket, $"warmup/{i}", sink, CancellationToken.None);
            }
        }

        for (var round = 1; round <= rounds; round++)
        {
            foreach (var concurrency in concurrencies)
            {
                var keysPerWorker = Math.Max(1, keyBytes / size / concurrency);
                var sinks = Enumerable.Range(0, concurrency).Select(_ => new byte[256 * 1024]).ToArray();
                // Alternate which target goes first, so neither always runs on a warmer (or more loaded) machine.
                var order = round % 2 == 1 ? new[] { Plain, Encrypted } : [Encrypted, Plain];
                var written = new Dictionary<string, long[]>();
                foreach (var bucket in order)
                {
                    var counts = new long[concurrency];
                    written[bucket] = counts;
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, i) =>
                    {
                        using var content = new ReadOnlyMemoryContent(data);
                        await client.PutAsync(bucket, Key(concurrency, w, i % keysPerWorker), content, CancellationToken.None);
                        counts[w] = Math.Max(counts[w], Math.Min(i + 1, keysPerWorker));
                        return size;
                    });
                    output.Write(Cell(bucket, "PUT", size, concurrency, round, cell));
                }

                foreach (var bucket in order)
                {
                    var counts = written[bucket];
                    var cell = await Workload.RunAsync(concurrency, seconds, async (w, i) =>
                    {
                        var n = await client.GetAsync(bucket, Key(concurrency, w, i % Math.Max(1, counts[w])), sinks[w], CancellationToken.None);
                        return n == size ? n : throw new InvalidOperationException($"GET returned {n} bytes, expected {size}.");
                    });
                    output.Write(Cell(bucket, "GET", size, concurrency, round, cell));
                }
            }
        }
    }

    private static string Key(int concurrency, int worker, long index) =>
        string.Create(CultureInfo.InvariantCulture, $"c{concurrency}/w{worker}/{index:D8}");

    private static BenchResult Cell(string bucket, string op, long size, int concurrency, int round, CellResult cell)
    {
        var result = new BenchResult("sse");
        result.Note("target", bucket == Encrypted ? "sse" : "plain");
        result.Note("op", op);
        result.Add("size", size);
        result.Add("concurrency", concurrency);
        result.Add("round", round);
        return cell.AddTo(result);
    }
}
