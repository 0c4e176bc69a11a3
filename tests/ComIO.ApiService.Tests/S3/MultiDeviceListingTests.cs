using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using ComIO.Contracts.Nodes;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// Listings on nodes with two devices each: every node merges its devices' pages, then the API service merges the
/// nodes' pages, so each page of the S3 listing is a merge of four runs. Keys must come in UTF-8 order with none lost or
/// repeated, and a key's versions newest first.
/// </summary>
public sealed class MultiDeviceListingTests : IAsyncLifetime
{
    private readonly ComIOCluster _cluster = new(devicesPerNode: 2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task ListObjectsV2_AndListObjectVersions_MergeEveryDeviceOfEveryNode_InOrder()
    {
        var bucket = await _cluster.CreateBucketAsync("devices");
        await _cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        var keys = Enumerable.Range(0, 60).Select(i => i % 3 == 0 ? $"dir/{i:D3}/\u00e9t\u00e9" : $"dir/{i:D3}").Append("dir/\U0001F642").Append("dir/\uFFFD").ToList();
        var versions = new Dictionary<string, List<string>>();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (key, ct) =>
        {
            var ids = new List<string>();
            for (var v = 0; v < 2; v++)
            {
                ids.Insert(0, (await _cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = $"{key} {v}" }, ct)).VersionId);
            }

            lock (versions)
            {
                versions[key] = ids;
            }
        });
        var ordered = keys.Order(Utf8KeyComparer.Instance).ToList();

        var listed = new List<string>();
        string? token = null;
        do
        {
            var page = await _cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 7, ContinuationToken = token }, Ct);
            listed.AddRange(page.S3Objects.Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        var listedVersions = new List<(string Key, string VersionId)>();
        string? keyMarker = null, versionMarker = null;
        bool truncated;
        do
        {
            var page = await _cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket, MaxKeys = 7, KeyMarker = keyMarker, VersionIdMarker = versionMarker }, Ct);
            listedVersions.AddRange(page.Versions.Select(v => (v.Key, v.VersionId)));
            truncated = page.IsTruncated == true;
            (keyMarker, versionMarker) = (page.NextKeyMarker, page.NextVersionIdMarker);
        }
        while (truncated);

        Assert.Equal(ordered, listed);
        Assert.Equal(ordered.SelectMany(key => versions[key].Select(id => (key, id))), listedVersions);
    }
}
