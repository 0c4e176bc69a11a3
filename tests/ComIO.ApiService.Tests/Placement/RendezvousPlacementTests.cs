using ComIO.ApiService.Placement;
using Xunit;

namespace ComIO.ApiService.Tests.Placement;

public sealed class RendezvousPlacementTests
{
    private const int KeyCount = 1_000_000;

    private static StorageNodeInfo[] Nodes(int count, int first = 0)
        => [.. Enumerable.Range(first, count).Select(i => new StorageNodeInfo($"node-{i:D3}", new Uri($"http://10.0.{i / 250}.{i % 250}:9000/")))];

    [Fact]
    public void PrimaryFor_MillionKeysOnHundredNodes_EveryNodeWithinFivePercentOfMean()
    {
        var placement = new RendezvousPlacement(Nodes(100));
        var counts = new int[100];

        for (var i = 0; i < KeyCount; i++)
        {
            counts[placement.PrimaryIndex(RendezvousPlacement.ObjectHash("bucket", "objects/" + i))]++;
        }

        var mean = KeyCount / 100.0;
        Assert.All(counts, c => Assert.InRange(c, mean * 0.95, mean * 1.05));
    }

    [Fact]
    public void PrimaryFor_AddingOneNode_MovesAboutOneOverNOnlyToTheNewNode()
    {
        var before = new RendezvousPlacement(Nodes(100));
        var after = new RendezvousPlacement([.. Nodes(100), new StorageNodeInfo("node-new", new Uri("http://10.1.0.1:9000/"))]);
        var moved = 0;

        for (var i = 0; i < KeyCount; i++)
        {
            var hash = RendezvousPlacement.ObjectHash("bucket", "k" + i);
            var oldIndex = before.PrimaryIndex(hash);
            var newIndex = after.PrimaryIndex(hash);
            if (oldIndex != newIndex)
            {
                moved++;
                Assert.Equal(100, newIndex);
            }
        }

        Assert.InRange(moved, 1, 1.2 * KeyCount / 101);
    }

    [Fact]
    public void PrimaryFor_RemovingOneNode_MovesOnlyItsKeys()
    {
        var nodes = Nodes(100);
        var before = new RendezvousPlacement(nodes);
        var removed = nodes[37];
        var after = new RendezvousPlacement([.. nodes.Where(n => n != removed)]);
        var moved = 0;

        for (var i = 0; i < KeyCount / 4; i++)
        {
            var key = "photos/" + i + ".jpg";
            var oldNode = before.PrimaryFor("b", key);
            var newNode = after.PrimaryFor("b", key);
            if (oldNode != newNode)
            {
                moved++;
                Assert.Same(removed, oldNode);
            }
            else
            {
                Assert.NotSame(removed, oldNode);
            }
        }

        Assert.InRange(moved, 1, 1.2 * (KeyCount / 4) / 100);
    }

    [Fact]
    public void RankFor_TwoInstancesWithNodesInDifferentOrder_AgreeForEveryKey()
    {
        var nodes = Nodes(12);
        var first = new RendezvousPlacement(nodes);
        var second = new RendezvousPlacement([.. nodes.Reverse()]);

        for (var i = 0; i < 10_000; i++)
        {
            var key = $"key-{i}/ünï cödé";
            Assert.Equal(first.RankFor("bucket", key, 3).Select(n => n.Id), second.RankFor("bucket", key, 3).Select(n => n.Id));
            Assert.Equal(first.PrimaryFor("bucket", key).Id, second.PrimaryFor("bucket", key).Id);
        }
    }

    [Fact]
    public void RankFor_FullCount_IsPermutationStartingWithPrimaryAndPrefixesAgree()
    {
        var placement = new RendezvousPlacement(Nodes(10));

        for (var i = 0; i < 1000; i++)
        {
            var key = "k" + i;
            var all = placement.RankFor("b", key, 10);
            Assert.Equal(10, all.Select(n => n.Id).Distinct().Count());
            Assert.Same(placement.PrimaryFor("b", key), all[0]);
            Assert.Equal(all.Take(3), placement.RankFor("b", key, 3));
        }

        Assert.Equal(10, placement.RankFor("b", "k", 50).Count);
        Assert.Empty(placement.RankFor("b", "k", 0));
    }

    [Fact]
    public void ObjectHash_KnownInputs_IsStableAcrossVersions()
    {
        // Golden values: a change here re-places every object in every deployed cluster.
        Assert.Equal(RendezvousPlacement.ObjectHash("bucket", "key"), RendezvousPlacement.ObjectHash("bucket", "key"));
        Assert.NotEqual(RendezvousPlacement.ObjectHash("bucket", "key"), RendezvousPlacement.ObjectHash("bucketk", "ey"));
        Assert.NotEqual(RendezvousPlacement.ObjectHash("a", "b"), RendezvousPlacement.ObjectHash("b", "a"));
        var placement = new RendezvousPlacement(Nodes(5));
        Assert.Equal(GoldenPrimaries, Enumerable.Range(0, GoldenPrimaries.Length).Select(i => placement.PrimaryFor("golden", "object-" + i).Id).ToArray());
        Assert.Equal(0x035B207921B50145UL, RendezvousPlacement.ObjectHash("bucket", "key"));
        Assert.Equal(0x9509CAF23483F0E0UL, RendezvousPlacement.ObjectHash(string.Empty, string.Empty));
    }

    [Fact]
    public void RankForBucket_IsDeterministicAndIndependentOfObjectPlacement()
    {
        var placement = new RendezvousPlacement(Nodes(20));

        var ranks = Enumerable.Range(0, 200).Select(i => placement.RankForBucket("bucket-" + i, 2)[0].Id).Distinct().Count();

        Assert.Equal(placement.RankForBucket("photos", 3), placement.RankForBucket("photos", 3));
        Assert.True(ranks > 15, $"bucket records on only {ranks} of 20 nodes");
    }

    [Fact]
    public void Constructor_DuplicateOrEmptyIds_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RendezvousPlacement([]));
        Assert.Throws<ArgumentException>(() => new RendezvousPlacement([new StorageNodeInfo("a", new Uri("http://x/")), new StorageNodeInfo("a", new Uri("http://y/"))]));
        Assert.Throws<ArgumentException>(() => new RendezvousPlacement([new StorageNodeInfo("", new Uri("http://x/"))]));
    }

    [Fact]
    public void PrimaryFor_LongKey_Works()
    {
        var placement = new RendezvousPlacement(Nodes(3));

        var key = new string('k', 5000);

        Assert.Same(placement.PrimaryFor("b", key), placement.RankFor("b", key, 1)[0]);
    }

    private static readonly string[] GoldenPrimaries =
    [
        "node-001", "node-000", "node-000", "node-000", "node-001", "node-001",
        "node-003", "node-003", "node-002", "node-001", "node-003", "node-000",
    ];
}
