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
        var deadLettersBefore = (await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.East, Ct), await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct));
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
        Assert.Equal(deadLettersBefore, (await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.East, Ct), await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct)));
    }

    /// <summary>
    /// Encrypted objects: SSE-S3 and SSE-KMS versions are read as plaintext from the source and re-encrypted on the
    /// destination in the same mode (with its keys); an SSE-C version cannot be read without the customer's key, so it
    /// is given up at once: FAILED on the source, in the dead-letter stream, absent on the destination.
    /// </summary>
    [Fact]
    public async Task EncryptedVersions_AreReencryptedOnTheDestination_AndSseCIsNotReplicated()
    {
        var bucket = await ReplicationSetup.BidirectionalBucketAsync(sites, "replsse", Ct);
        using var east = sites.Client(TwoSiteFixture.East);
        using var west = sites.Client(TwoSiteFixture.West);
        var data = RandomNumberGenerator.GetBytes(200_000);
        var sseS3 = await west.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "s3.bin", InputStream = new MemoryStream(data), ServerSideEncryptionMethod = Amazon.S3.ServerSideEncryptionMethod.AES256 }, Ct);
        var kms = await west.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "kms.bin", InputStream = new MemoryStream(data), ServerSideEncryptionMethod = Amazon.S3.ServerSideEncryptionMethod.AWSKMS }, Ct);
        var customerKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var deadBefore = await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct);
        var sseC = await west.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "customer.bin",
            InputStream = new MemoryStream(data),
            ServerSideEncryptionCustomerMethod = Amazon.S3.ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = customerKey,
        }, Ct);

        foreach (var (key, version, mode) in new[] { ("s3.bin", sseS3.VersionId, "AES256"), ("kms.bin", kms.VersionId, "aws:kms") })
        {
            await WaitForStatusAsync(west, bucket, key, version, "COMPLETED");
            using var replica = await east.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = version }, Ct);
            Assert.Equal(mode, replica.ServerSideEncryptionMethod?.Value);
            Assert.Equal("REPLICA", replica.ReplicationStatus?.Value);
            using var copy = new MemoryStream();
            await replica.ResponseStream.CopyToAsync(copy, Ct);
            Assert.Equal(data, copy.ToArray());
        }

        var status = await WaitForStatusAsync(west, bucket, "customer.bin", sseC.VersionId, "FAILED", customerKey);
        Assert.Equal("FAILED", status);
        Assert.Equal(deadBefore + 1, await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct));
        var missing = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(() => east.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "customer.bin", VersionId = sseC.VersionId }, Ct));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<string?> WaitForStatusAsync(Amazon.S3.IAmazonS3 s3, string bucket, string key, string versionId, string expected, string? customerKey = null)
    {
        var deadline = DateTime.UtcNow + ConvergenceTimeout;
        string? status;
        while ((status = await StatusAsync()) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, Ct);
        }

        Assert.Equal(expected, status);
        return status;

        async Task<string?> StatusAsync()
        {
            var request = new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId };
            if (customerKey is not null)
            {
                request.ServerSideEncryptionCustomerMethod = Amazon.S3.ServerSideEncryptionCustomerMethod.AES256;
                request.ServerSideEncryptionCustomerProvidedKey = customerKey;
            }

            return (await s3.GetObjectMetadataAsync(request, Ct)).ReplicationStatus?.Value;
        }
    }

    /// <summary>A client PUT on east and the worker's replica PUT on west belong to one trace (context carried in the stream entry).</summary>
    [Fact]
    public async Task ClientPut_AndItsReplicaPut_AreOneTrace()
    {
        var bucket = await ReplicationSetup.BidirectionalBucketAsync(sites, "repltrace", Ct);
        var key = "traced-" + Guid.NewGuid().ToString("N");
        using var east = sites.Client(TwoSiteFixture.East);
        var put = await east.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "trace me across sites" }, Ct);
        await WaitForStatusAsync(east, bucket, key, put.VersionId, "COMPLETED");

        var clientTrace = await sites.Logs.FindTraceIdAsync($"{TwoSiteFixture.East}-api", "Request PUT", $"/{bucket}/{key}", TimeSpan.FromSeconds(10), Ct);
        var replicaTrace = await sites.Logs.FindTraceIdAsync($"{TwoSiteFixture.West}-api", "Request PUT", $"/{bucket}/{key}", TimeSpan.FromSeconds(10), Ct);

        Assert.NotNull(clientTrace);
        Assert.Equal(clientTrace, replicaTrace);
    }
}
