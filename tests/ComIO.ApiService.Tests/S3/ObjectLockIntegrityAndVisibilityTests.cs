using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.Access;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// Object Lock as AWS gates it: a PutObject with Object Lock parameters (lock headers, or a bucket default retention)
/// needs Content-MD5 or a checksum header (InvalidRequest otherwise), and the lock headers of GET/HEAD are shown only to
/// callers with <c>s3:GetObjectRetention</c> (mode, retain-until date) and <c>s3:GetObjectLegalHold</c> (legal hold).
/// </summary>
public sealed class ObjectLockIntegrityAndVisibilityTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private const string IntegrityMessage = "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    private static string FutureDate => DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private async Task<string> LockedBucketAsync(string hint)
    {
        var bucket = cluster.NewBucketName(hint);
        await cluster.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true }, Ct);
        return bucket;
    }

    private async Task<HttpResponseMessage> PutAsync(string bucket, string key, byte[] body, params (string Name, string Value)[] headers) =>
        await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/{key}", body: body, headers: headers);

    private static async Task ExpectIntegrityRequiredAsync(HttpResponseMessage response)
    {
        var error = await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal(IntegrityMessage, error!.Element("Message")!.Value);
    }

    [Fact]
    public async Task PutObject_WithLockHeaders_RequiresContentMd5OrChecksum()
    {
        var bucket = await LockedBucketAsync("lk-md5");
        var body = "locked bytes"u8.ToArray();

        using (var retention = await PutAsync(bucket, "r", body, ("x-amz-object-lock-mode", "GOVERNANCE"), ("x-amz-object-lock-retain-until-date", FutureDate)))
        {
            await ExpectIntegrityRequiredAsync(retention);
        }

        using (var hold = await PutAsync(bucket, "h", body, ("x-amz-object-lock-legal-hold", "OFF")))
        {
            await ExpectIntegrityRequiredAsync(hold);
        }

        // Nothing was stored by the refused requests.
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetObjectMetadataAsync(bucket, "r", Ct), HttpStatusCode.NotFound, "NotFound");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetObjectMetadataAsync(bucket, "h", Ct), HttpStatusCode.NotFound, "NotFound");

        // Content-MD5 satisfies it (and is verified: a wrong one is BadDigest), as does an x-amz-checksum-* value.
        using (var wrong = await PutAsync(bucket, "r", body, ("Content-MD5", S3Wire.Md5Base64("other"u8.ToArray())), ("x-amz-object-lock-legal-hold", "ON")))
        {
            await S3Assert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "BadDigest");
        }

        using (var md5 = await PutAsync(bucket, "r", body, ("Content-MD5", S3Wire.Md5Base64(body)), ("x-amz-object-lock-mode", "GOVERNANCE"), ("x-amz-object-lock-retain-until-date", FutureDate)))
        {
            Assert.Equal(HttpStatusCode.OK, md5.StatusCode);
        }

        using (var crc = await PutAsync(bucket, "h", body, ("x-amz-checksum-crc32", Checksums.Base64("CRC32", body)), ("x-amz-object-lock-legal-hold", "ON")))
        {
            Assert.Equal(HttpStatusCode.OK, crc.StatusCode);
        }

        var head = await cluster.S3.GetObjectMetadataAsync(bucket, "r", Ct);
        Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
        Assert.Equal(ObjectLockLegalHoldStatus.On, (await cluster.S3.GetObjectMetadataAsync(bucket, "h", Ct)).ObjectLockLegalHoldStatus);

        // Without lock parameters a lock-enabled bucket (no default retention) takes a PUT without any digest.
        using var plain = await PutAsync(bucket, "plain", body);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
    }

    [Fact]
    public async Task PutObject_IntoBucketWithDefaultRetention_RequiresContentMd5OrChecksum()
    {
        var bucket = await LockedBucketAsync("lk-md5-def");
        await cluster.S3.PutObjectLockConfigurationAsync(new PutObjectLockConfigurationRequest
        {
            BucketName = bucket,
            ObjectLockConfiguration = new ObjectLockConfiguration
            {
                ObjectLockEnabled = ObjectLockEnabled.Enabled,
                Rule = new ObjectLockRule { DefaultRetention = new DefaultRetention { Mode = ObjectLockRetentionMode.Governance, Days = 1 } },
            },
        }, Ct);
        var body = "defaulted"u8.ToArray();
        using (var bare = await PutAsync(bucket, "k", body))
        {
            await ExpectIntegrityRequiredAsync(bare);
        }

        using (var md5 = await PutAsync(bucket, "k", body, ("Content-MD5", S3Wire.Md5Base64(body))))
        {
            Assert.Equal(HttpStatusCode.OK, md5.StatusCode);
        }

        // The AWS SDK sends a checksum by default, so its plain PutObject passes.
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "sdk", ContentBody = "sdk" }, Ct);
        Assert.Equal(ObjectLockMode.Governance, (await cluster.S3.GetObjectMetadataAsync(bucket, "sdk", Ct)).ObjectLockMode);

        // A bucket without Object Lock never requires it.
        var open = await cluster.CreateBucketAsync("lk-md5-none");
        using var unlocked = await PutAsync(open, "k", body);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
    }

    [Fact]
    public async Task UploadPart_OfUploadWithLockParameters_RequiresContentMd5OrChecksum()
    {
        var bucket = await LockedBucketAsync("lk-md5-mp");
        var locked = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "locked",
            ObjectLockMode = ObjectLockMode.Compliance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
        }, Ct);
        var plain = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "plain" }, Ct);
        var body = "part bytes"u8.ToArray();

        using (var bare = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/locked", query: [("partNumber", "1"), ("uploadId", locked.UploadId)], body: body))
        {
            await ExpectIntegrityRequiredAsync(bare);
        }

        Assert.Null((await cluster.S3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "locked", UploadId = locked.UploadId }, Ct)).Parts?.FirstOrDefault());
        using (var md5 = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/locked", query: [("partNumber", "1"), ("uploadId", locked.UploadId)], body: body, headers: [("Content-MD5", S3Wire.Md5Base64(body))]))
        {
            Assert.Equal(HttpStatusCode.OK, md5.StatusCode);
        }

        // An upload without lock parameters (the bucket has no default retention) takes a part without any digest.
        using var unlocked = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/plain", query: [("partNumber", "1"), ("uploadId", plain.UploadId)], body: body);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
    }

    [Fact]
    public async Task LockHeadersOnGetAndHead_AreShownOnlyWithTheReadPermissions()
    {
        var bucket = await LockedBucketAsync("lk-vis");
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "doc",
            ContentBody = "visible",
            ObjectLockMode = ObjectLockMode.Governance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(2),
            ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On,
        }, Ct);

        string Policy(params string[] actions) => PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:GetObject", "s3:GetObjectVersion", .. actions], [$"arn:aws:s3:::{bucket}/*"]));
        var readerOnly = await Admin.CreateUserWithKeyAsync("lkread", Policy());
        var retentionReader = await Admin.CreateUserWithKeyAsync("lkret", Policy("s3:GetObjectRetention"));
        var holdReader = await Admin.CreateUserWithKeyAsync("lkhold", Policy("s3:GetObjectLegalHold"));

        foreach (var (user, retention, hold) in new[] { (readerOnly, false, false), (retentionReader, true, false), (holdReader, false, true) })
        {
            using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
            foreach (var versionId in new string?[] { null, put.VersionId })
            {
                var metadata = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc", VersionId = versionId }, Ct);
                AssertLockHeaders(user.Name, metadata.ObjectLockMode, metadata.ObjectLockRetainUntilDate, metadata.ObjectLockLegalHoldStatus, retention, hold);
                using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc", VersionId = versionId }, Ct);
                AssertLockHeaders(user.Name, get.ObjectLockMode, get.ObjectLockRetainUntilDate, get.ObjectLockLegalHoldStatus, retention, hold);
                Assert.Equal("visible", await new StreamReader(get.ResponseStream).ReadToEndAsync(Ct));
            }
        }

        // The admin (and so the bucket owner) sees all three.
        var full = await cluster.S3.GetObjectMetadataAsync(bucket, "doc", Ct);
        AssertLockHeaders("admin", full.ObjectLockMode, full.ObjectLockRetainUntilDate, full.ObjectLockLegalHoldStatus, retention: true, holdVisible: true);
    }

    private static void AssertLockHeaders(string who, ObjectLockMode? mode, DateTime? until, ObjectLockLegalHoldStatus? hold, bool retention, bool holdVisible)
    {
        if (retention)
        {
            Assert.True(mode == ObjectLockMode.Governance, $"{who}: mode expected");
            Assert.True(until is not null, $"{who}: retain-until date expected");
        }
        else
        {
            Assert.True(mode is null || string.IsNullOrEmpty(mode.Value), $"{who}: mode must be hidden, got {mode}");
            Assert.True(until is null, $"{who}: retain-until date must be hidden, got {until}");
        }

        if (holdVisible)
        {
            Assert.True(hold == ObjectLockLegalHoldStatus.On, $"{who}: legal hold expected");
        }
        else
        {
            Assert.True(hold is null || string.IsNullOrEmpty(hold.Value), $"{who}: legal hold must be hidden, got {hold}");
        }
    }
}
