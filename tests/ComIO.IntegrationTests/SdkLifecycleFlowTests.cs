using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>
/// Lifecycle expiry through <c>AWSSDK.S3</c> against the running topology: each test configures a rule, writes what the
/// rule must remove and what it must keep, triggers every node's scanner (the nodes see the clock
/// <see cref="TopologyFixture.LifecycleTimeOffset"/> ahead) and checks through listings and GET that exactly the due
/// objects, versions, delete markers or uploads went and everything else is byte-identical.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class SdkLifecycleFlowTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sdk_CurrentVersionExpiration_RemovesOnlyTheRulesObjects()
    {
        using var s3 = topology.CreateClient();
        var bucket = await BucketAsync(s3, "sdk-lc-cur", versioned: false);
        await RulesAsync(s3, bucket, new LifecycleRule { Id = "tmp", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "tmp/" }, Expiration = new LifecycleRuleExpiration { Days = 7 } });
        var kept = new Dictionary<string, byte[]> { ["keep/a.bin"] = RandomNumberGenerator.GetBytes(70_000), ["tmpx/b.bin"] = RandomNumberGenerator.GetBytes(10) };
        foreach (var key in new[] { "tmp/a.bin", "tmp/deep/b.bin" })
        {
            await PutAsync(s3, bucket, key, RandomNumberGenerator.GetBytes(1000));
        }

        foreach (var (key, data) in kept)
        {
            await PutAsync(s3, bucket, key, data);
        }

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(kept.Keys.Order(StringComparer.Ordinal), (listed.S3Objects ?? []).Select(o => o.Key));
        foreach (var (key, data) in kept)
        {
            Assert.Equal(data, await GetAsync(s3, bucket, key));
        }

        var gone = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => GetAsync(s3, bucket, "tmp/a.bin"));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("NoSuchKey", gone.ErrorCode);
    }

    [Fact]
    public async Task Sdk_NoncurrentVersionExpiration_KeepsNewerNoncurrentVersions()
    {
        using var s3 = topology.CreateClient();
        var bucket = await BucketAsync(s3, "sdk-lc-nc", versioned: true);
        await RulesAsync(s3, bucket, new LifecycleRule
        {
            Id = "old-versions",
            Status = LifecycleRuleStatus.Enabled,
            Filter = new LifecycleFilter { Prefix = "docs/" },
            NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 2, NewerNoncurrentVersions = 1 },
        });
        var docs = new List<(string Id, byte[] Data)>();
        for (var i = 0; i < 4; i++)
        {
            var data = RandomNumberGenerator.GetBytes(5000 + i);
            docs.Add((await PutAsync(s3, bucket, "docs/report.bin", data), data));
        }

        var other = new List<(string Id, byte[] Data)>();
        for (var i = 0; i < 2; i++)
        {
            var data = RandomNumberGenerator.GetBytes(300 + i);
            other.Add((await PutAsync(s3, bucket, "other/report.bin", data), data));
        }

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        // docs/: the current version and the newest noncurrent one stay; the two older ones went. other/: untouched.
        AssertVersions(
            [("docs/report.bin", docs[3].Id, false), ("docs/report.bin", docs[2].Id, false), ("other/report.bin", other[1].Id, false), ("other/report.bin", other[0].Id, false)],
            await VersionsAsync(s3, bucket));
        foreach (var (key, (id, data)) in new[] { ("docs/report.bin", docs[3]), ("docs/report.bin", docs[2]), ("other/report.bin", other[1]), ("other/report.bin", other[0]) })
        {
            Assert.Equal(data, await GetAsync(s3, bucket, key, id));
        }

        var expired = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => GetAsync(s3, bucket, "docs/report.bin", docs[0].Id));
        Assert.Equal("NoSuchVersion", expired.ErrorCode);
    }

    [Fact]
    public async Task Sdk_ExpiredObjectDeleteMarker_RemovesOnlyLoneDeleteMarkers()
    {
        using var s3 = topology.CreateClient();
        var bucket = await BucketAsync(s3, "sdk-lc-dm", versioned: true);
        await RulesAsync(s3, bucket, new LifecycleRule { Id = "markers", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "" }, Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true } });

        // "gone": only a delete marker is left. "kept": a marker over a noncurrent version. "live": a current version.
        var goneId = await PutAsync(s3, bucket, "gone", RandomNumberGenerator.GetBytes(100));
        var goneMarker = (await s3.DeleteObjectAsync(bucket, "gone", Ct)).VersionId;
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "gone", VersionId = goneId }, Ct);
        var keptData = RandomNumberGenerator.GetBytes(2000);
        var keptId = await PutAsync(s3, bucket, "kept", keptData);
        var keptMarker = (await s3.DeleteObjectAsync(bucket, "kept", Ct)).VersionId;
        var liveData = RandomNumberGenerator.GetBytes(3000);
        var liveId = await PutAsync(s3, bucket, "live", liveData);
        Assert.Contains(await VersionsAsync(s3, bucket), v => v.VersionId == goneMarker);

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        AssertVersions([("kept", keptMarker, true), ("kept", keptId, false), ("live", liveId, false)], await VersionsAsync(s3, bucket));
        Assert.Equal(keptData, await GetAsync(s3, bucket, "kept", keptId));
        Assert.Equal(liveData, await GetAsync(s3, bucket, "live"));
    }

    [Fact]
    public async Task Sdk_AbortIncompleteMultipartUpload_AbortsOnlyTheRulesUploads()
    {
        using var s3 = topology.CreateClient();
        var bucket = await BucketAsync(s3, "sdk-lc-mpu", versioned: false);
        await RulesAsync(s3, bucket, new LifecycleRule { Id = "mpu", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { Prefix = "uploads/" }, AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 } });
        var stale = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "uploads/stale.bin" }, Ct);
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "uploads/stale.bin", UploadId = stale.UploadId, PartNumber = 1, InputStream = new MemoryStream(RandomNumberGenerator.GetBytes(5000)) }, Ct);
        var keptData = RandomNumberGenerator.GetBytes(6000);
        var kept = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "keep/big.bin" }, Ct);
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "keep/big.bin", UploadId = kept.UploadId, PartNumber = 1, InputStream = new MemoryStream(keptData) }, Ct);

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }, Ct);
        var remaining = Assert.Single(uploads.MultipartUploads ?? []);
        Assert.Equal(("keep/big.bin", kept.UploadId), (remaining.Key, remaining.UploadId));
        var aborted = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "uploads/stale.bin", UploadId = stale.UploadId }, Ct));
        Assert.Equal("NoSuchUpload", aborted.ErrorCode);

        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "keep/big.bin", UploadId = kept.UploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);
        Assert.Equal(keptData, await GetAsync(s3, bucket, "keep/big.bin"));
    }

    private static async Task<string> BucketAsync(AmazonS3Client s3, string hint, bool versioned)
    {
        var bucket = hint + "-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket, Ct);
        if (versioned)
        {
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        }

        return bucket;
    }

    private static Task RulesAsync(AmazonS3Client s3, string bucket, params LifecycleRule[] rules) =>
        s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = new LifecycleConfiguration { Rules = [.. rules] } }, Ct);

    private static async Task<string> PutAsync(AmazonS3Client s3, string bucket, string key, byte[] data) =>
        (await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, Ct)).VersionId;

    private static async Task<byte[]> GetAsync(AmazonS3Client s3, string bucket, string key, string? versionId = null)
    {
        using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, Ct);
        using var buffer = new MemoryStream();
        await get.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    /// <summary>The listing holds exactly these (key, version id, is delete marker) entries.</summary>
    private static void AssertVersions((string Key, string VersionId, bool DeleteMarker)[] expected, List<S3ObjectVersion> listed) =>
        Assert.Equal(
            expected.Select(e => $"{e.Key} {e.VersionId} {e.DeleteMarker}").Order(StringComparer.Ordinal),
            listed.Select(v => $"{v.Key} {v.VersionId} {v.IsDeleteMarker == true}").Order(StringComparer.Ordinal));

    /// <summary>Every version and delete marker of the bucket (the test buckets hold far fewer than one page).</summary>
    private static async Task<List<S3ObjectVersion>> VersionsAsync(AmazonS3Client s3, string bucket) =>
        (await s3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, Ct)).Versions ?? [];
}
