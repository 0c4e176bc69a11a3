using System.Security.Cryptography;
using Amazon.S3.Model;

namespace ComIO.IntegrationTests.Replication;

/// <summary>
/// Cross-site replication on the real two-site topology: versions written on either site reach the other with the same
/// version id, bytes, metadata and tags (small objects by one PUT, large ones by multipart), delete markers follow, the
/// source reports COMPLETED and the destination REPLICA, and nothing is replicated back.
/// </summary>
[Collection(TwoSiteCollection.Name)]
public sealed class ReplicationTests(TwoSiteFixture sites)
{
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromMinutes(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Versions_WrittenOnEitherSite_ReachTheOther_Identical()
    {
        var bucket = await ReplicationSetup.BidirectionalBucketAsync(sites, "repl", Ct);
        using var east = sites.Client(TwoSiteFixture.East);
        using var west = sites.Client(TwoSiteFixture.West);
        var small = RandomNumberGenerator.GetBytes(10_000);
        var large = RandomNumberGenerator.GetBytes(20 * 1024 * 1024 + 123);

        var first = await east.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "docs/a.txt",
            InputStream = new MemoryStream(small),
            ContentType = "text/plain",
            Metadata = { ["origin"] = "east" },
            TagSet = [new Tag { Key = "team", Value = "storage" }],
        }, Ct);
        var big = await east.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "big.bin", InputStream = new MemoryStream(large) }, Ct);
        var fromWest = await west.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "docs/b.txt", ContentBody = "written on west" }, Ct);
        var marker = await east.DeleteObjectAsync(bucket, "docs/a.txt", Ct);

        var (onEast, onWest) = await SiteComparison.WaitForSameVersionsAsync(east, west, bucket, ConvergenceTimeout, Ct);

        Assert.Equal(onEast, onWest);
        Assert.Equal(4, onEast.Count);
        Assert.Contains(onWest, v => v.VersionId == first.VersionId && v.ContentMd5 == Convert.ToHexStringLower(MD5.HashData(small)));
        Assert.Contains(onWest, v => v.VersionId == big.VersionId && v.ContentMd5 == Convert.ToHexStringLower(MD5.HashData(large)));
        Assert.Contains(onEast, v => v.VersionId == fromWest.VersionId);
        Assert.Contains(onWest, v => v.VersionId == marker.VersionId && v.IsDeleteMarker && v.IsLatest);

        var replica = await west.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "docs/a.txt", VersionId = first.VersionId }, Ct);
        Assert.Equal("REPLICA", replica.ReplicationStatus?.Value);
        Assert.Equal("text/plain", replica.Headers.ContentType);
        Assert.Equal("east", replica.Metadata["origin"]);
        Assert.Equal(first.ETag, replica.ETag);
        Assert.Equal(big.ETag, (await west.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "big.bin", VersionId = big.VersionId }, Ct)).ETag);
        var tags = await west.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "docs/a.txt", VersionId = first.VersionId }, Ct);
        Assert.Equal(("team", "storage"), (Assert.Single(tags.Tagging).Key, tags.Tagging[0].Value));

        await WaitForStatusAsync(east, bucket, "docs/a.txt", first.VersionId, "COMPLETED");
        await WaitForStatusAsync(east, bucket, "big.bin", big.VersionId, "COMPLETED");
        await WaitForStatusAsync(west, bucket, "docs/b.txt", fromWest.VersionId, "COMPLETED");
        Assert.Equal("REPLICA", await ReplicationSetup.ReplicationStatusAsync(east, bucket, "docs/b.txt", fromWest.VersionId, Ct));
        Assert.Equal(0, await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.East, Ct));
        Assert.Equal(0, await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct));
    }

    private static async Task WaitForStatusAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key, string versionId, string expected)
    {
        var deadline = DateTime.UtcNow + ConvergenceTimeout;
        string? status;
        while ((status = await ReplicationSetup.ReplicationStatusAsync(s3, bucket, key, versionId, Ct)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, Ct);
        }

        Assert.Equal(expected, status);
    }
}
