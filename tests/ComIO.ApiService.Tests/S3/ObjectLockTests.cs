using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.Access;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// Object Lock through the AWS SDK: buckets created with Object Lock, the bucket configuration with default retention,
/// per-version retention (COMPLIANCE never weakened, GOVERNANCE bypassable only with the header and
/// <c>s3:BypassGovernanceRetention</c>), legal holds, the lock headers of PUT/HEAD/GET, and the errors AWS returns.
/// </summary>
public sealed class ObjectLockTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    private async Task<string> LockedBucketAsync(string hint)
    {
        var bucket = cluster.NewBucketName(hint);
        await cluster.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true }, Ct);
        return bucket;
    }

    private async Task<string> PutAsync(AmazonS3Client s3, string bucket, string key, string body, ObjectLockMode? mode = null, DateTime? until = null, ObjectLockLegalHoldStatus? hold = null)
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body };
        if (mode is not null)
        {
            request.ObjectLockMode = mode;
            request.ObjectLockRetainUntilDate = until;
        }

        if (hold is not null)
        {
            request.ObjectLockLegalHoldStatus = hold;
        }

        return (await s3.PutObjectAsync(request, Ct)).VersionId;
    }

    private static async Task<AmazonS3Exception> RefusedAsync(Func<Task> call, HttpStatusCode status, string code)
    {
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(call);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        return error;
    }

    private async Task<string> ReadAsync(string bucket, string key, string versionId)
    {
        using var response = await cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId }, Ct);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(Ct);
    }

    [Fact]
    public async Task CreateBucket_WithObjectLock_EnablesVersioningAndLock()
    {
        var bucket = await LockedBucketAsync("lk-create");
        var versioning = await cluster.S3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, Ct);
        Assert.Equal(VersionStatus.Enabled, versioning.VersioningConfig.Status);
        var configuration = await cluster.S3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, Ct);
        Assert.Equal(ObjectLockEnabled.Enabled, configuration.ObjectLockConfiguration.ObjectLockEnabled);
        Assert.Null(configuration.ObjectLockConfiguration.Rule?.DefaultRetention?.Mode);

        var suspend = await RefusedAsync(
            () => cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Suspended } }, Ct),
            HttpStatusCode.Conflict, "InvalidBucketState");
        Assert.Contains("Object Lock configuration is present", suspend.Message);
    }

    [Fact]
    public async Task ComplianceLockedVersion_SurvivesDeleteWithVersionId_EvenForAdmin()
    {
        var bucket = await LockedBucketAsync("lk-comp");
        var until = DateTime.UtcNow.AddDays(1);
        var id = await PutAsync(cluster.S3, bucket, "backup", "immutable", ObjectLockMode.Compliance, until);

        var head = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "backup", VersionId = id }, Ct);
        Assert.Equal(ObjectLockMode.Compliance, head.ObjectLockMode);
        Assert.Equal(until, head.ObjectLockRetainUntilDate!.Value.ToUniversalTime(), TimeSpan.FromSeconds(1));

        // The admin (root) with the bypass header cannot delete the version, nor weaken its retention.
        await RefusedAsync(
            () => cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "backup", VersionId = id, BypassGovernanceRetention = true }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(
            () => cluster.S3.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = bucket,
                Key = "backup",
                VersionId = id,
                BypassGovernanceRetention = true,
                Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = until.AddHours(-1) },
            }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(
            () => cluster.S3.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = bucket,
                Key = "backup",
                VersionId = id,
                BypassGovernanceRetention = true,
                Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Governance, RetainUntilDate = until.AddDays(1) },
            }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
        var multi = await Assert.ThrowsAsync<DeleteObjectsException>(
            () => cluster.S3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [new KeyVersion { Key = "backup", VersionId = id }], BypassGovernanceRetention = true }, Ct));
        Assert.Equal("AccessDenied", Assert.Single(multi.Response.DeleteErrors).Code);

        // Extending is allowed; a delete without version id only adds a delete marker.
        await cluster.S3.PutObjectRetentionAsync(new PutObjectRetentionRequest
        {
            BucketName = bucket,
            Key = "backup",
            VersionId = id,
            Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Compliance, RetainUntilDate = until.AddDays(1) },
        }, Ct);
        var retention = await cluster.S3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "backup", VersionId = id }, Ct);
        Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);
        Assert.Equal(until.AddDays(1), retention.Retention.RetainUntilDate!.Value.ToUniversalTime(), TimeSpan.FromSeconds(1));
        var marker = await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "backup" }, Ct);
        Assert.Equal("true", marker.DeleteMarker);
        Assert.Equal("immutable", await ReadAsync(bucket, "backup", id));
    }

    [Fact]
    public async Task GovernanceRetention_IsBypassable_OnlyWithHeaderAndPermission()
    {
        var bucket = await LockedBucketAsync("lk-gov");
        var id = await PutAsync(cluster.S3, bucket, "k", "governed", ObjectLockMode.Governance, DateTime.UtcNow.AddDays(2));
        var deleter = await Admin.CreateUserWithKeyAsync("nobypass", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:DeleteObject","s3:DeleteObjectVersion","s3:GetObject","s3:GetObjectVersion","s3:PutObjectRetention"],"Resource":"arn:aws:s3:::{{bucket}}/*"}]}
            """);
        var bypasser = await Admin.CreateUserWithKeyAsync("bypass", $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:DeleteObjectVersion","s3:BypassGovernanceRetention"],"Resource":"arn:aws:s3:::{{bucket}}/*"}]}
            """);
        using var deleterS3 = cluster.NewClient(deleter.AccessKeyId, deleter.SecretKey);
        using var bypasserS3 = cluster.NewClient(bypasser.AccessKeyId, bypasser.SecretKey);

        // Without s3:BypassGovernanceRetention the header does not help; with it, the header is still required.
        await RefusedAsync(
            () => deleterS3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = id, BypassGovernanceRetention = true }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(
            () => deleterS3.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = bucket,
                Key = "k",
                VersionId = id,
                BypassGovernanceRetention = true,
                Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Governance, RetainUntilDate = DateTime.UtcNow.AddHours(1) },
            }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
        await RefusedAsync(
            () => bypasserS3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = id }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Equal("governed", await ReadAsync(bucket, "k", id));

        await bypasserS3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "k", VersionId = id, BypassGovernanceRetention = true }, Ct);
        await RefusedAsync(
            () => cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "k", VersionId = id }, Ct),
            HttpStatusCode.NotFound, "NotFound");
    }

    [Fact]
    public async Task LegalHold_BlocksDeletion_UntilRemoved()
    {
        var bucket = await LockedBucketAsync("lk-hold");
        var id = await PutAsync(cluster.S3, bucket, "held", "evidence");
        await cluster.S3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest { BucketName = bucket, Key = "held", VersionId = id, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.On } }, Ct);
        var hold = await cluster.S3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = bucket, Key = "held", VersionId = id }, Ct);
        Assert.Equal(ObjectLockLegalHoldStatus.On, hold.LegalHold.Status);
        var head = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "held" }, Ct);
        Assert.Equal(ObjectLockLegalHoldStatus.On, head.ObjectLockLegalHoldStatus);

        await RefusedAsync(
            () => cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "held", VersionId = id, BypassGovernanceRetention = true }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");

        await cluster.S3.PutObjectLegalHoldAsync(new PutObjectLegalHoldRequest { BucketName = bucket, Key = "held", VersionId = id, LegalHold = new ObjectLockLegalHold { Status = ObjectLockLegalHoldStatus.Off } }, Ct);
        Assert.Equal(ObjectLockLegalHoldStatus.Off, (await cluster.S3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = bucket, Key = "held", VersionId = id }, Ct)).LegalHold.Status);
        await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "held", VersionId = id }, Ct);

        // A hold set at PUT time blocks as well.
        var second = await PutAsync(cluster.S3, bucket, "held2", "x", hold: ObjectLockLegalHoldStatus.On);
        await RefusedAsync(
            () => cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "held2", VersionId = second }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task DefaultRetention_IsAppliedToNewVersions()
    {
        var bucket = await LockedBucketAsync("lk-default");
        await cluster.S3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 3 } },
            },
        }, Ct);
        var stored = (await cluster.S3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, Ct)).ObjectLockConfiguration;
        Assert.Equal(ObjectLockRetentionMode.Governance, stored.Rule.DefaultRetention.Mode);
        Assert.Equal(3, stored.Rule.DefaultRetention.Days);

        var before = DateTime.UtcNow;
        var id = await PutAsync(cluster.S3, bucket, "auto", "defaulted");
        var head = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "auto" }, Ct);
        Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
        Assert.Equal(before.AddDays(3), head.ObjectLockRetainUntilDate!.Value.ToUniversalTime(), TimeSpan.FromMinutes(1));
        await RefusedAsync(
            () => cluster.NewClient().DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "auto", VersionId = id }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");

        // An explicit retention wins over the default.
        var explicitId = await PutAsync(cluster.S3, bucket, "explicit", "e", ObjectLockMode.Compliance, DateTime.UtcNow.AddDays(10));
        var retention = await cluster.S3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "explicit", VersionId = explicitId }, Ct);
        Assert.Equal(ObjectLockRetentionMode.Compliance, retention.Retention.Mode);

        // Multipart uploads get it too.
        var upload = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mp" }, Ct);
        var part = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream([1, 2, 3]) }, Ct);
        var done = await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);
        var mpRetention = await cluster.S3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "mp", VersionId = done.VersionId }, Ct);
        Assert.Equal(ObjectLockRetentionMode.Governance, mpRetention.Retention.Mode);
    }

    [Fact]
    public async Task ObjectLockCalls_OnBucketWithoutLock_FailAsAws()
    {
        var bucket = await cluster.CreateBucketAsync("lk-none");
        await RefusedAsync(
            () => cluster.S3.GetObjectLockConfigurationAsync(new GetObjectLockConfigurationRequest { BucketName = bucket }, Ct),
            HttpStatusCode.NotFound, "ObjectLockConfigurationNotFoundError");
        await RefusedAsync(
            () => cluster.S3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
            {
                BucketName = bucket,
                ObjectLockConfiguration = new ObjectLockConfiguration { ObjectLockEnabled = ObjectLockEnabled.Enabled },
            }, Ct),
            HttpStatusCode.Conflict, "InvalidBucketState");
        var put = await RefusedAsync(
            () => PutAsync(cluster.S3, bucket, "k", "v", ObjectLockMode.Governance, DateTime.UtcNow.AddDays(1)),
            HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal("Bucket is missing ObjectLockConfiguration", put.Message);
        await PutAsync(cluster.S3, bucket, "k", "v");
        var retention = await RefusedAsync(
            () => cluster.S3.PutObjectRetentionAsync(new PutObjectRetentionRequest
            {
                BucketName = bucket,
                Key = "k",
                Retention = new ObjectLockRetention { Mode = ObjectLockRetentionMode.Governance, RetainUntilDate = DateTime.UtcNow.AddDays(1) },
            }, Ct),
            HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal("Bucket is missing Object Lock Configuration", retention.Message);
        await RefusedAsync(
            () => cluster.S3.GetObjectLegalHoldAsync(new GetObjectLegalHoldRequest { BucketName = bucket, Key = "k" }, Ct),
            HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task InvalidLockRequests_AreRefused()
    {
        var bucket = await LockedBucketAsync("lk-invalid");
        await RefusedAsync(
            () => cluster.S3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
            {
                BucketName = bucket,
                ObjectLockConfiguration = new ObjectLockConfiguration
                {
                    ObjectLockEnabled = ObjectLockEnabled.Enabled,
                    Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 0 } },
                },
            }, Ct),
            HttpStatusCode.BadRequest, "InvalidArgument");
        await RefusedAsync(
            () => cluster.S3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
            {
                BucketName = bucket,
                ObjectLockConfiguration = new ObjectLockConfiguration
                {
                    ObjectLockEnabled = ObjectLockEnabled.Enabled,
                    Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1, Years = 1 } },
                },
            }, Ct),
            HttpStatusCode.BadRequest, "MalformedXML");
        await RefusedAsync(
            () => PutAsync(cluster.S3, bucket, "past", "v", ObjectLockMode.Compliance, DateTime.UtcNow.AddDays(-1)),
            HttpStatusCode.BadRequest, "InvalidArgument");
        var id = await PutAsync(cluster.S3, bucket, "plain", "v");
        await RefusedAsync(
            () => cluster.S3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "plain", VersionId = id }, Ct),
            HttpStatusCode.NotFound, "NoSuchObjectLockConfiguration");

        // Without a lock the version can be deleted.
        await cluster.S3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = "plain", VersionId = id }, Ct);
    }
}
