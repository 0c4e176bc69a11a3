using System.Buffers;
using BenchmarkDotNet.Attributes;
using ComIO.ApiService.Handlers;
using ComIO.Contracts.Nodes;

namespace ComIO.Bench.S3.Micro;

/// <summary>
/// What the API service does with the node pages of one 1,000-key ListObjectsV2 page on two storage nodes: each node
/// answered its share (<see cref="BucketLister.PerNodeEstimate"/>: 565 keys) as a binary page, the service decodes both
/// (<see cref="ObjectListPageCodec.Read"/>) and merges them into S3 order, cut at the page size
/// (<see cref="BucketLister.MergePages"/>). Keys alternate between the nodes and share a 24-character prefix, as keys
/// of one bucket's "directory" do. Appending the two pages without ordering them is the baseline (the floor of any merge).
/// </summary>
[MemoryDiagnoser]
public class ListingMergeBenchmarks
{
    private const int PageSize = 1000;
    private const int Nodes = 2;

    private readonly List<(List<ObjectInfo> Entries, bool IsTruncated)> _pages = [];
    private readonly List<byte[]> _encoded = [];

    [GlobalSetup]
    public void Setup()
    {
        var perNode = BucketLister.PerNodeEstimate(PageSize, Nodes);
        var lastModified = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        for (var node = 0; node < Nodes; node++)
        {
            var entries = new List<ObjectInfo>(perNode);
            for (var i = 0; i < perNode; i++)
            {
                var n = (i * Nodes) + node;
                entries.Add(new ObjectInfo
                {
                    Bucket = "bench",
                    Key = $"photos/2026/11/27/camera/IMG_{n:D6}.jpg",
                    Size = 4096 + n,
                    ETag = $"{n:x32}",
                    LastModified = lastModified.AddSeconds(n),
                });
            }

            _pages.Add((entries, true));
            var page = new ArrayBufferWriter<byte>();
            ObjectListPageCodec.Write(page, entries, isTruncated: true);
            _encoded.Add(page.WrittenSpan.ToArray());
        }
    }

    [Benchmark(Baseline = true)]
    public int AppendPages()
    {
        var all = new List<ObjectInfo>();
        foreach (var (entries, _) in _pages)
        {
            all.AddRange(entries);
        }

        return all.Count;
    }

    [Benchmark]
    public int MergeNodePages()
    {
        var (batch, _, _) = BucketLister.MergePages(_pages, PageSize);
        return batch.Count;
    }

    [Benchmark]
    public int DecodeNodePages()
    {
        var count = 0;
        foreach (var page in _encoded)
        {
            count += ObjectListPageCodec.Read("bench", page).Objects.Count;
        }

        return count;
    }
}
