using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using ComIO.Contracts.Replication;
using Xunit;

namespace ComIO.ApiService.Tests.Replication;

/// <summary>
/// The destination side of replication: a worker's PUT / DELETE / CompleteMultipartUpload with the replica headers is
/// stored under the source version id (idempotently, ordered by id), marked REPLICA, and never replicated again; the
/// headers are refused from callers without s3:ReplicateObject / s3:ReplicateDelete and on unversioned buckets.
/// </summary>
public sealed class ReplicaWriteTests(ReplicationClusterFixture fixture) : IClassFixture<ReplicationClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ComIOCluster Cluster => fixture.Cluster;

    private async Task<string> VersionedBucketAsync(string hint)
    {
        var bucket = await Cluster.CreateBucketAsync(hint);
        await Cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        return bucket;
    }

    /// <summary>A real version id and ETag, made by writing <paramref name="data"/> to a scratch versioned bucket of this site.</summary>
    private async Task<(string VersionId, string ETag)> SourceVersionAsync(byte[] data)
    {
        var scratch = await VersionedBucketAsync("src");
        var put = await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = scratch, Key = "k", InputStream = new MemoryStream(data) }, Ct);
        return (put.VersionId, put.ETag);
    }

    private Task<HttpResponseMessage> PutReplicaAsync(string bucket, string key, byte[] data, string versionId, string etag) =>
        Cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/{key}", body: data, headers:
        [
            (ReplicaHeaders.VersionId, versionId),
            (ReplicaHeaders.ETag, etag),
            (ReplicaHeaders.Source, "west"),
        ]);

    [Fact]
    public async Task ReplicaPut_KeepsTheSourceVersionId_AndIsIdempotent()
    {
        var data = RandomNumberGenerator.GetBytes(70_000);
        var (versionId, etag) = await SourceVersionAsync(data);
        var bucket = await VersionedBucketAsync("dst");

        using var first = await PutReplicaAsync(bucket, "k", data, versionId, etag);
        using var second = await PutReplicaAsync(bucket, "k", data, versionId, etag);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(versionId, S3Wire.Header(first, "x-amz-version-id"));
        Assert.Equal(versionId, S3Wire.Header(second, "x-amz-version-id"));
        var versions = await Cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, Ct);
        Assert.Equal(versionId, Assert.Single(versions.Versions).VersionId);
        using var get = await Cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "k", VersionId = versionId }, Ct);
        using var copy = new MemoryStream();
        await get.ResponseStream.CopyToAsync(copy, Ct);
        Assert.Equal(data, copy.ToArray());
        Assert.Equal(etag, get.ETag);
        Assert.Equal(ReplicationStatus.Replica, get.ReplicationStatus);
    }

    [Fact]
    public async Task ReplicaPut_WithABodyThatDoesNotMatchTheEtag_IsRefused()
    {
        var data = RandomNumberGenerator.GetBytes(1000);
        var (versionId, etag) = await SourceVersionAsync(data);
        var bucket = await VersionedBucketAsync("dst-bad");
        data[10] ^= 1;

        using var response = await PutReplicaAsync(bucket, "k", data, versionId, etag);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "BadDigest");
        Assert.Empty((await Cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, Ct)).Versions ?? []);
    }

    [Fact]
    public async Task ReplicaPut_IntoAnUnversionedBucket_IsInvalidBucketState()
    {
        var (versionId, etag) = await SourceVersionAsync([1, 2, 3]);
        var bucket = await Cluster.CreateBucketAsync("dst-unv");

        using var response = await PutReplicaAsync(bucket, "k", [1, 2, 3], versionId, etag);

        await S3Assert.ErrorAsync(response, HttpStatusCode.Conflict, "InvalidBucketState");
    }

    [Fact]
    public async Task ReplicaPut_WithAMalformedVersionId_IsInvalidArgument()
    {
        var bucket = await VersionedBucketAsync("dst-id");
        using var response = await PutReplicaAsync(bucket, "k", [1], "null", "\"x\"");
        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task ReplicaDeleteMarker_IsStoredUnderItsId_AndAnOlderReplicaStaysNoncurrent()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var (olderId, olderEtag) = await SourceVersionAsync(data);
        var markerSource = await VersionedBucketAsync("src-marker");
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = markerSource, Key = "k", ContentBody = "x" }, Ct);
        var marker = await Cluster.S3.DeleteObjectAsync(markerSource, "k", Ct);
        var bucket = await VersionedBucketAsync("dst-marker");

        using var delete = await Cluster.Wire.SendAsync(HttpMethod.Delete, $"/{bucket}/k", headers: [(ReplicaHeaders.VersionId, marker.VersionId), (ReplicaHeaders.DeleteMarker, "true")]);
        using var older = await PutReplicaAsync(bucket, "k", data, olderId, olderEtag);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal("true", S3Wire.Header(delete, "x-amz-delete-marker"));
        Assert.Equal(marker.VersionId, S3Wire.Header(delete, "x-amz-version-id"));
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        var versions = (await Cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, Ct)).Versions;
        Assert.Equal([(marker.VersionId, true, true), (olderId, false, false)], versions.Select(v => (v.VersionId, v.IsLatest ?? false, v.IsDeleteMarker ?? false)));
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => Cluster.S3.GetObjectAsync(bucket, "k", Ct));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ReplicaWrites_IntoAReplicatedBucket_AreNotReplicatedAgain()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var (versionId, etag) = await SourceVersionAsync(data);
        var bucket = await VersionedBucketAsync("dst-loop");
        await Cluster.S3.PutBucketReplicationAsync(new PutBucketReplicationRequest
        {
            BucketName = bucket,
            Configuration = new ReplicationConfiguration
            {
                Role = "arn:aws:iam::000000000000:role/replication",
                Rules =
                [
                    new ReplicationRule
                    {
                        Id = "back",
                        Status = ReplicationRuleStatus.Enabled,
                        Filter = new ReplicationRuleFilter { Prefix = "" },
                        DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Enabled },
                        Destination = new Amazon.S3.Model.ReplicationDestination { BucketArn = "arn:aws:s3:west::bkt" },
                    },
                ],
            },
        }, Ct);

        using var replica = await PutReplicaAsync(bucket, "k", data, versionId, etag);
        await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "local", ContentBody = "y" }, Ct);

        Assert.Equal(ReplicationStatus.Replica, (await Cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct)).ReplicationStatus);
        Assert.Equal(ReplicationStatus.Pending, (await Cluster.S3.GetObjectMetadataAsync(bucket, "local", Ct)).ReplicationStatus);
    }

    [Fact]
    public async Task ReplicaHeaders_FromAUserWithoutReplicatePermission_AreDenied()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var (versionId, etag) = await SourceVersionAsync(data);
        var bucket = await VersionedBucketAsync("dst-deny");
        var user = await new Access.AdminApiClient(Cluster.Wire).CreateUserWithKeyAsync("replicator",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""");
        using var wire = new S3Wire(Cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);

        using var plain = await wire.SendAsync(HttpMethod.Put, $"/{bucket}/plain", body: data);
        using var replica = await wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: data, headers: [(ReplicaHeaders.VersionId, versionId), (ReplicaHeaders.ETag, etag)]);

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        await S3Assert.ErrorAsync(replica, HttpStatusCode.Forbidden, "AccessDenied");
    }
}
