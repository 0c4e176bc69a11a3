using ComIO.ApiService.Nodes;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>One page of a merged listing: objects and common prefixes in key order, and where the next page resumes.</summary>
public sealed record ListingPage(List<ObjectInfo> Objects, List<string> CommonPrefixes, bool IsTruncated, string? ResumeAfter, string? LastReturned);

/// <summary>
/// Scatter-gather listing: asks every node for its sorted keys after a start point, merges them in UTF-8 order and
/// applies prefix, delimiter and max-keys. A common prefix is skipped in one step (the next start point jumps past
/// everything under it), so a page costs O(max-keys) node entries whatever the bucket holds.
/// </summary>
public sealed class BucketLister(ClusterNodes cluster, StorageNodeClient nodes)
{
    /// <summary>Greater than any key that starts with a given prefix (U+10FFFF is the largest code point).</summary>
    public const string AfterEverything = "\U0010FFFF";

    /// <remarks>
    /// Entries carry what a listing shows (key, size, ETag, last-modified, checksum algorithm); with
    /// <paramref name="withOwners"/> also each object's ACL, from which its owner is named.
    /// </remarks>
    public async Task<ListingPage> ListAsync(string bucket, string prefix, string? delimiter, string? startAfter, int maxKeys, CancellationToken ct, bool withOwners = false)
    {
        var systemMetadataKey = withOwners ? Authorization.Authorizer.ObjectAclMetadata : null;
        var objects = new List<ObjectInfo>();
        var prefixes = new List<string>();
        string? lastReturned = null;
        string? resumeAfter = null;
        var marker = startAfter;
        if (!string.IsNullOrEmpty(delimiter) && marker is not null && marker.StartsWith(prefix, StringComparison.Ordinal)
            && CommonPrefixOf(marker, prefix, delimiter) is { } markerPrefix && markerPrefix == marker)
        {
            marker = markerPrefix + AfterEverything;
        }

        if (maxKeys == 0)
        {
            await EnsureBucketAsync(bucket, ct);
            return new ListingPage(objects, prefixes, false, null, null);
        }

        var perNode = PerNodeEstimate(maxKeys + 1, cluster.All.Count);
        while (true)
        {
            var (batch, more, cut) = await MergedBatchAsync(bucket, prefix, marker, maxKeys + 1, perNode, systemMetadataKey, ct);
            if (cut)
            {
                perNode = maxKeys + 1; // the keys here are not spread evenly: ask for whole pages from now on
            }

            if (batch.Count == 0)
            {
                return new ListingPage(objects, prefixes, false, null, lastReturned);
            }

            foreach (var entry in batch)
            {
                if (marker is not null && Utf8KeyComparer.Instance.Compare(entry.Key, marker) <= 0)
                {
                    continue; // inside a common prefix we already emitted
                }

                if (objects.Count + prefixes.Count == maxKeys)
                {
                    return new ListingPage(objects, prefixes, true, resumeAfter, lastReturned);
                }

                var common = string.IsNullOrEmpty(delimiter) ? null : CommonPrefixOf(entry.Key, prefix, delimiter);
                if (common is not null)
                {
                    prefixes.Add(common);
                    lastReturned = common;
                    marker = resumeAfter = common + AfterEverything;
                }
                else
                {
                    objects.Add(entry);
                    lastReturned = marker = resumeAfter = entry.Key;
                }
            }

            if (!more)
            {
                return new ListingPage(objects, prefixes, false, null, lastReturned);
            }
        }
    }

    /// <summary>The common prefix a key rolls up into, or null when the key has no delimiter after the prefix.</summary>
    public static string? CommonPrefixOf(string key, string prefix, string delimiter)
    {
        var index = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
        return index < 0 ? null : key[..(index + delimiter.Length)];
    }

    private async Task EnsureBucketAsync(string bucket, CancellationToken ct) =>
        (await nodes.GetBucketAsync(cluster.All[0], bucket, ct).ConfigureAwait(false)).OrThrow();

    /// <summary>
    /// How many keys to ask each node for when <paramref name="count"/> keys are wanted from <paramref name="nodes"/>
    /// nodes. Placement spreads keys evenly, so a node holds about count / nodes of any run of keys; asking for that
    /// plus four standard deviations of the binomial spread (rather than for <paramref name="count"/> from every node)
    /// rarely falls short, and a shortfall only costs one more round (see <see cref="MergedBatchAsync"/>).
    /// </summary>
    internal static int PerNodeEstimate(int count, int nodes)
    {
        if (nodes <= 1)
        {
            return count;
        }

        var share = (double)count / nodes;
        var spread = Math.Sqrt(share * (1 - (1.0 / nodes)));
        return Math.Min(count, (int)Math.Ceiling(share + (4 * spread)) + 1);
    }

    /// <summary>
    /// Keys after <paramref name="startAfter"/> over all nodes, in order: the first <paramref name="count"/>, or fewer
    /// when a node's answer ran out first (<c>Cut</c>); see <see cref="MergePages"/>. More is true when keys may follow.
    /// </summary>
    private async Task<(List<ObjectInfo> Batch, bool More, bool Cut)> MergedBatchAsync(string bucket, string prefix, string? startAfter, int count, int perNode,
        string? systemMetadataKey, CancellationToken ct)
    {
        var pages = await Task.WhenAll(cluster.All.Select(node =>
            nodes.ListAsync(node, bucket, prefix.Length == 0 ? null : prefix, startAfter, perNode, ct, systemMetadataKey))).ConfigureAwait(false);
        return MergePages(pages.Select(static page => page.OrThrow()!).Select(static page => (page.Objects, page.IsTruncated)), count);
    }

    /// <summary>
    /// Merges one round of node pages (each in S3 order, each key on one node) into key order
    /// (<see cref="KeyOrderMerge"/>: a key's versions keep their node's order). Each node answered up to its share of
    /// entries; a node that had more vouches only for keys up to its last one returned (a later entry of that same key
    /// can only come from it, in a later round), so the merge is complete only through the smallest such last key and is
    /// cut there. Returns the first <paramref name="count"/> entries, or fewer when cut (<c>Cut</c>); More is true when
    /// entries may follow.
    /// </summary>
    internal static (List<ObjectInfo> Batch, bool More, bool Cut) MergePages(IEnumerable<(List<ObjectInfo> Entries, bool IsTruncated)> pages, int count)
    {
        var answers = new List<List<ObjectInfo>>();
        var more = false;
        string? completeThrough = null; // the smallest last key of a node that has more; null = every node's answer was whole
        var total = 0;
        foreach (var (entries, isTruncated) in pages)
        {
            answers.Add(entries);
            total += entries.Count;
            if (isTruncated)
            {
                more = true;
                var last = entries[^1].Key;
                if (completeThrough is null || Utf8KeyComparer.Instance.Compare(last, completeThrough) < 0)
                {
                    completeThrough = last;
                }
            }
        }

        var merged = KeyOrderMerge.Merge(answers, count, completeThrough);
        var cut = merged.Count < count && completeThrough is not null;
        return (merged, more || merged.Count < total, cut);
    }
}
