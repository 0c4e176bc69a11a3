using ComIO.ApiService.Handlers;
using ComIO.Contracts.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// <see cref="BucketLister.MergePages"/> against its definition: a stable sort of the pages' concatenation by UTF-8 key
/// order, complete only through the smallest last key of a page that has more, cut to the page size.
/// </summary>
public sealed class BucketListerMergeTests
{
    private static readonly string[] Keys = ["a", "a/b", "a/b/c", "b", "photos/1", "photos/10", "photos/2", "z", "\uE000", "\U0001F642"];

    [Fact]
    public void MergePages_CutsAtTheSmallestLastKeyOfANodeWithMore_AndKeepsVersionOrder()
    {
        var node1 = Page(true, ("a", "3"), ("a", "2"), ("c", "1"));
        var node2 = Page(true, ("b", "1"), ("d", "1"), ("e", "1"));

        var (batch, more, cut) = BucketLister.MergePages([node1, node2], 10);

        Assert.Equal(["a/3", "a/2", "b/1", "c/1"], batch.Select(entry => entry.Key + "/" + entry.VersionId));
        Assert.True(more);
        Assert.True(cut);
    }

    [Fact]
    public void MergePages_WholeAnswers_FillThePageAndReportMoreOnlyWhenEntriesAreLeft()
    {
        var node1 = Page(false, ("a", "1"), ("c", "1"));
        var node2 = Page(false, ("b", "1"));

        var (all, moreAll, cutAll) = BucketLister.MergePages([node1, node2], 3);
        var (two, moreTwo, cutTwo) = BucketLister.MergePages([node1, node2], 2);

        Assert.Equal(["a", "b", "c"], all.Select(entry => entry.Key));
        Assert.False(moreAll);
        Assert.False(cutAll);
        Assert.Equal(["a", "b"], two.Select(entry => entry.Key));
        Assert.True(moreTwo);
        Assert.False(cutTwo);
    }

    [Property(MaxTest = 2000)]
    public Property MergePages_EqualsTheStableSortOfTheConcatenation()
    {
        // Each key lives on one node with 1-3 versions (newest first, as nodes answer); a node's page is a prefix of
        // its keys, truncated when it has more; the page size is 1-12.
        var key = Gen.Zip(Gen.Choose(0, Keys.Length - 1), Gen.Zip(Gen.Choose(0, 2), Gen.Choose(1, 3)));
        var layout = Gen.Zip(Gen.ListOf(key), Gen.Zip(Gen.ArrayOf(Gen.Choose(0, 4), 3), Gen.Choose(1, 12)));
        return Prop.ForAll(layout.ToArbitrary(), input =>
        {
            var (keys, (taken, count)) = (input.Item1, input.Item2);
            var placed = new Dictionary<string, (int Node, int Versions)>();
            foreach (var (index, (node, versions)) in keys)
            {
                placed.TryAdd(Keys[index], (node, versions));
            }

            var pages = new List<(List<ObjectInfo> Entries, bool IsTruncated)>();
            for (var node = 0; node < 3; node++)
            {
                var entries = placed.Where(pair => pair.Value.Node == node)
                    .OrderBy(pair => pair.Key, Utf8KeyComparer.Instance)
                    .SelectMany(pair => Enumerable.Range(0, pair.Value.Versions).Select(v => Entry(pair.Key, (pair.Value.Versions - v).ToString(System.Globalization.CultureInfo.InvariantCulture))))
                    .ToList();
                var answered = entries.Take(Math.Max(taken[node], entries.Count == 0 ? 0 : 1)).ToList();
                pages.Add((answered, answered.Count < entries.Count));
            }

            var (batch, more, cut) = BucketLister.MergePages(pages, count);
            var (expected, expectedMore, expectedCut) = ByDefinition(pages, count);
            return batch.SequenceEqual(expected, ReferenceEqualityComparer.Instance) && more == expectedMore && cut == expectedCut;
        });
    }

    private static (List<ObjectInfo> Batch, bool More, bool Cut) ByDefinition(List<(List<ObjectInfo> Entries, bool IsTruncated)> pages, int count)
    {
        var truncatedLasts = pages.Where(page => page.IsTruncated).Select(page => page.Entries[^1].Key).ToList();
        var completeThrough = truncatedLasts.Count == 0 ? null : truncatedLasts.Min(Utf8KeyComparer.Instance);
        var sorted = pages.SelectMany(page => page.Entries).OrderBy(entry => entry.Key, Utf8KeyComparer.Instance).ToList();
        var complete = completeThrough is null ? sorted.Count : sorted.Count(entry => Utf8KeyComparer.Instance.Compare(entry.Key, completeThrough) <= 0);
        var keep = Math.Min(count, complete);
        return (sorted.Take(keep).ToList(), truncatedLasts.Count > 0 || sorted.Count > keep, keep < count && completeThrough is not null);
    }

    private static (List<ObjectInfo> Entries, bool IsTruncated) Page(bool truncated, params (string Key, string VersionId)[] entries) =>
        (entries.Select(entry => Entry(entry.Key, entry.VersionId)).ToList(), truncated);

    private static ObjectInfo Entry(string key, string versionId) =>
        new() { Bucket = "b", Key = key, VersionId = versionId, Size = 1, ETag = "e", LastModified = DateTimeOffset.UnixEpoch };
}
