using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Replication;

/// <summary>
/// Put/Get/DeleteBucketReplication through the AWS SDK and on the wire, the replication status of new versions
/// (<c>x-amz-replication-status</c>), and the versioning rules that go with replication.
/// </summary>
public sealed class BucketReplicationTests(ReplicationClusterFixture fixture) : IClassFixture<ReplicationClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ComIOCluster Cluster => fixture.Cluster;

    private async Task<string> VersionedBucketAsync(string hint = "repl")
    {
        var bucket = await Cluster.CreateBucketAsync(hint);
        await Cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        return bucket;
    }

    private static ReplicationConfiguration Configuration(string destinationArn, string prefix = "", bool deleteMarkers = true) => new()
    {
        Role = "arn:aws:iam::000000000000:role/replication",
        Rules =
        [
            new ReplicationRule
            {
                Id = "to-west",
                Priority = 1,
                Status = ReplicationRuleStatus.Enabled,
                Filter = new ReplicationRuleFilter { Prefix = prefix },
                DeleteMarkerReplication = new DeleteMarkerReplication { Status = deleteMarkers ? DeleteMarkerReplicationStatus.Enabled : DeleteMarkerReplicationStatus.Disabled },
                Destination = new ReplicationDestination { BucketArn = destinationArn },
            },
        ],
    };

    private async Task<HttpResponseMessage> PutReplicationXmlAsync(string bucket, string xml)
    {
        var body = Encoding.UTF8.GetBytes(xml);
        return await Cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}", [("replication", "")], body, [("Content-MD5", S3Wire.Md5Base64(body))]);
    }

    [Fact]
    public async Task PutGetDelete_RoundTripThroughTheSdk()
    {
        var bucket = await VersionedBucketAsync();
        using (var missing = await Cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", [("replication", "")]))
        {
            await S3Assert.ErrorAsync(missing, HttpStatusCode.NotFound, "ReplicationConfigurationNotFoundError");
        }

        // The SDK reports ReplicationConfigurationNotFoundError as an empty configuration rather than an exception.
        Assert.Empty((await Cluster.S3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket }, Ct)).Configuration?.Rules ?? []);

        await Cluster.S3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket, Configuration = Configuration("arn:aws:s3:west::copies", "logs/") }, Ct);
        var stored = (await Cluster.S3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket }, Ct)).Configuration;

        var rule = Assert.Single(stored.Rules);
        Assert.Equal("to-west", rule.Id);
        Assert.Equal(ReplicationRuleStatus.Enabled, rule.Status);
        Assert.Equal("arn:aws:s3:west::copies", rule.Destination.BucketArn);
        Assert.Equal("logs/", rule.Filter.Prefix);
        Assert.Equal(DeleteMarkerReplicationStatus.Enabled, rule.DeleteMarkerReplication.Status);

        await Cluster.S3.DeleteBucketReplicationAsync(new DeleteBucketReplicationRequest { BucketName = bucket }, Ct);
        using var afterDelete = await Cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", [("replication", "")]);
        await S3Assert.ErrorAsync(afterDelete, HttpStatusCode.NotFound, "ReplicationConfigurationNotFoundError");
    }

    [Fact]
    public async Task Put_NeedsVersioningEnabled_AndRefusesSuspendingItAfterwards()
    {
        var bucket = await Cluster.CreateBucketAsync("repl-unv");
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() =>
            Cluster.S3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket, Configuration = Configuration("arn:aws:s3:::copies") }, Ct));
        Assert.Equal(("InvalidRequest", HttpStatusCode.BadRequest), (refused.ErrorCode, refused.StatusCode));

        await Cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        await Cluster.S3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket, Configuration = Configuration("arn:aws:s3:::copies") }, Ct);
        var suspend = await Assert.ThrowsAsync<AmazonS3Exception>(() => Cluster.S3.PutBucketVersioningAsync(
            new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } }, Ct));
        Assert.Equal(("InvalidBucketState", HttpStatusCode.Conflict), (suspend.ErrorCode, suspend.StatusCode));
    }

    [Theory]
    [InlineData("<ReplicationConfiguration><Rule><Status>Enabled</Status></Rule></ReplicationConfiguration>", "MalformedXML", 400)]
    [InlineData("<ReplicationConfiguration/>", "MalformedXML", 400)]
    [InlineData("<ReplicationConfiguration><Rule><Status>On</Status><Prefix></Prefix><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule></ReplicationConfiguration>", "MalformedXML", 400)]
    [InlineData("<ReplicationConfiguration><Rule><Status>Enabled</Status><Prefix></Prefix><Destination><Bucket>not-an-arn</Bucket></Destination></Rule></ReplicationConfiguration>", "InvalidArgument", 400)]
    [InlineData("<ReplicationConfiguration><Rule><Status>Enabled</Status><Prefix></Prefix><Destination><Bucket>arn:aws:s3:mars::bkt</Bucket></Destination></Rule></ReplicationConfiguration>", "InvalidArgument", 400)]
    [InlineData("<ReplicationConfiguration><Rule><Status>Enabled</Status><Filter><Prefix>a</Prefix></Filter><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule></ReplicationConfiguration>", "InvalidRequest", 400)]
    [InlineData("<ReplicationConfiguration><Rule><Status>Enabled</Status><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><DeleteMarkerReplication><Status>Disabled</Status></DeleteMarkerReplication><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule></ReplicationConfiguration>", "NotImplemented", 501)]
    [InlineData("<ReplicationConfiguration><Rule><ID>x</ID><Status>Enabled</Status><Prefix>a</Prefix><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule><Rule><ID>x</ID><Status>Enabled</Status><Prefix>b</Prefix><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule></ReplicationConfiguration>", "InvalidArgument", 400)]
    [InlineData("<ReplicationConfiguration><Rule><Status>Enabled</Status><Prefix>a</Prefix><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule><Rule><Status>Enabled</Status><Prefix>ab</Prefix><Destination><Bucket>arn:aws:s3:::bkt</Bucket></Destination></Rule></ReplicationConfiguration>", "InvalidRequest", 400)]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><ReplicationConfiguration/>", "MalformedXML", 400)]
    public async Task Put_RefusesInvalidDocuments_WithTheAwsError(string xml, string code, int status)
    {
        var bucket = await VersionedBucketAsync("repl-bad");
        using var response = await PutReplicationXmlAsync(bucket, xml);
        await S3Assert.ErrorAsync(response, (HttpStatusCode)status, code);
        using var get = await Cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", [("replication", "")]);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task NewVersions_MatchingARule_ArePending_OthersHaveNoStatus()
    {
        var bucket = await VersionedBucketAsync();
        await Cluster.S3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket, Configuration = Configuration("arn:aws:s3:::copies", "logs/") }, Ct);

        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "logs/a", ContentBody = "replicated" }, Ct);
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "other/a", ContentBody = "local only" }, Ct);
        await Cluster.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "other/a", DestinationBucket = bucket, DestinationKey = "logs/copy" }, Ct);

        Assert.Equal(ReplicationStatus.Pending, (await Cluster.S3.GetObjectMetadataAsync(bucket, "logs/a", Ct)).ReplicationStatus);
        Assert.Equal(ReplicationStatus.Pending, (await Cluster.S3.GetObjectMetadataAsync(bucket, "logs/copy", Ct)).ReplicationStatus);
        Assert.Null((await Cluster.S3.GetObjectMetadataAsync(bucket, "other/a", Ct)).ReplicationStatus);
        using var get = await Cluster.S3.GetObjectAsync(bucket, "logs/a", Ct);
        Assert.Equal(ReplicationStatus.Pending, get.ReplicationStatus);
    }

    [Fact]
    public async Task MultipartUpload_MatchingARule_IsPending()
    {
        var bucket = await VersionedBucketAsync();
        await Cluster.S3.PutBucketReplicationAsync(new PutBucketReplicationRequest { BucketName = bucket, Configuration = Configuration("arn:aws:s3:west::copies") }, Ct);
        var upload = await Cluster.S3.InitiateMultipartUploadAsync(bucket, "big", Ct);
        var part = await Cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1000]) }, Ct);
        await Cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "big", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);

        Assert.Equal(ReplicationStatus.Pending, (await Cluster.S3.GetObjectMetadataAsync(bucket, "big", Ct)).ReplicationStatus);
    }
}
