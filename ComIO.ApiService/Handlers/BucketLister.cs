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

        while (true)
        {
            var (batch, more) = await MergedBatchAsync(bucket, prefix, marker, maxKeys + 1, systemMetadataKey, ct);
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
    /// The first <paramref name="count"/> keys after <paramref name="startAfter"/> over all nodes. Each node returns up
    /// to <paramref name="count"/> of its own keys, so the first <paramref name="count"/> of the merge are complete.
    /// </summary>
    private async Task<(List<ObjectInfo> Batch, bool More)> MergedBatchAsync(string bucket, string prefix, string? startAfter, int count, string? systemMetadataKey, CancellationToken ct)
    {
        var pages = await Task.WhenAll(cluster.All.Select(node =>
            nodes.ListAsync(node, bucket, prefix.Length == 0 ? null : prefix, startAfter, count, ct, systemMetadataKey))).ConfigureAwait(false);
        var merged = new List<ObjectInfo>();
        var more = false;
        foreach (var page in pages)
        {
            var value = page.OrThrow()!;
            merged.AddRange(value.Objects);
            more |= value.IsTruncated;
        }

        merged.Sort((a, b) => Utf8KeyComparer.Instance.Compare(a.Key, b.Key));
        if (merged.Count > count)
        {
            merged.RemoveRange(count, merged.Count - count);
            more = true;
        }

        return (merged, more);
    }
}
