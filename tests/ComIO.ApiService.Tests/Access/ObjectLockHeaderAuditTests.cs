using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Leaving the Object Lock headers out of a GET/HEAD for a caller without <c>s3:GetObjectRetention</c> /
/// <c>s3:GetObjectLegalHold</c> is not a denied request: it writes no <c>AccessDenied</c> audit event, while an actual
/// GetObjectRetention by that caller does.
/// </summary>
public sealed class ObjectLockHeaderAuditTests(LoggedClusterFixture fixture) : IClassFixture<LoggedClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ComIOCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task HiddenLockHeaders_AreNotAuditedAsDenials()
    {
        var bucket = Cluster.NewBucketName("lk-audit");
        await Cluster.S3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true }, Ct);
        await Cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "doc",
            ContentBody = "audited",
            ObjectLockMode = ObjectLockMode.Governance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
            ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On,
        }, Ct);
        var user = await new AdminApiClient(Cluster.Wire).CreateUserWithKeyAsync("lkaudit", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:GetObject"], [$"arn:aws:s3:::{bucket}/*"])));
        using var s3 = Cluster.NewClient(user.AccessKeyId, user.SecretKey);

        var head = await s3.GetObjectMetadataAsync(bucket, "doc", Ct);
        Assert.True(head.ObjectLockMode is null || string.IsNullOrEmpty(head.ObjectLockMode.Value));
        Assert.True(head.ObjectLockLegalHoldStatus is null || string.IsNullOrEmpty(head.ObjectLockLegalHoldStatus.Value));
        using (var get = await s3.GetObjectAsync(bucket, "doc", Ct))
        {
            Assert.Equal("audited", await new StreamReader(get.ResponseStream).ReadToEndAsync(Ct));
        }

        Assert.DoesNotContain(Denials(user), _ => true);

        await S3Assert.SdkErrorAsync(() => s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "doc" }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Contains(Denials(user), e => e.Message.Contains("s3:GetObjectRetention", StringComparison.Ordinal));
    }

    private List<CapturedLogEntry> Denials(TestUser user) =>
        [.. fixture.Logs.Entries.Where(e => e.Category == "ComIO.Audit" && e.EventName == "AccessDenied" && e.Message.Contains(user.Name, StringComparison.Ordinal))];
}
