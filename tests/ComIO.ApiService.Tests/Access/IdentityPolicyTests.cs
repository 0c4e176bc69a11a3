using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Identity policies attached by the admin: a user limited to one bucket, explicit Deny, conditions on
/// <c>s3:prefix</c> and <c>aws:SourceIp</c>, and presigned URLs that carry the signer's permissions.
/// </summary>
public sealed class IdentityPolicyTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    [Fact]
    public async Task UserLimitedToBucketA_CanWorkInA_AndIsDeniedReadListDeleteInB_ThroughSdk()
    {
        var (a, b) = (await cluster.CreateBucketAsync("pa"), await cluster.CreateBucketAsync("pb"));
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = b, Key = "secret.txt", ContentBody = "b" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("lim", PolicyJson.AllowBucket(a));
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = a, Key = "k.txt", ContentBody = "hello" }, Ct);
        using (var get = await s3.GetObjectAsync(a, "k.txt", Ct))
        {
            Assert.Equal("hello", await new StreamReader(get.ResponseStream).ReadToEndAsync(Ct));
        }

        var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = a }, Ct);
        Assert.Equal(["k.txt"], listed.S3Objects.Select(o => o.Key));
        await s3.DeleteObjectAsync(a, "k.txt", Ct);

        await S3Assert.SdkErrorAsync(() => s3.GetObjectAsync(b, "secret.txt", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = b }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.DeleteObjectAsync(b, "secret.txt", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = b, Key = "x", ContentBody = "x" }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        var batch = await Assert.ThrowsAsync<DeleteObjectsException>(() => s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = b, Objects = [new KeyVersion { Key = "secret.txt" }] }, Ct));
        Assert.Equal("AccessDenied", Assert.Single(batch.Response.DeleteErrors).Code);
        Assert.True(batch.Response.DeletedObjects is null or { Count: 0 });
        await S3Assert.SdkErrorAsync(
            () => s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = b, SourceKey = "secret.txt", DestinationBucket = a, DestinationKey = "stolen" }, Ct),
            HttpStatusCode.Forbidden, "AccessDenied");

        // Nothing in b changed.
        using var still = await cluster.S3.GetObjectAsync(b, "secret.txt", Ct);
        Assert.Equal("b", await new StreamReader(still.ResponseStream).ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task UserLimitedToBucketA_IsDeniedInB_ThroughAwsCli()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/aws"), "/usr/bin/aws is not installed");
        var (a, b) = (await cluster.CreateBucketAsync("ca"), await cluster.CreateBucketAsync("cb"));
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = b, Key = "secret.txt", ContentBody = "b" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("cli", PolicyJson.AllowBucket(a));
        var local = Path.Combine(Path.GetTempPath(), "comio-access-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(local);
        try
        {
            var upload = Path.Combine(local, "up.txt");
            await File.WriteAllTextAsync(upload, "via cli", Ct);
            var put = await AwsCliRunner.RunAsync(cluster.Endpoint, user, local, Ct, "s3", "cp", upload, $"s3://{a}/up.txt");
            Assert.True(put.ExitCode == 0, put.StdErr);
            var list = await AwsCliRunner.RunAsync(cluster.Endpoint, user, local, Ct, "s3", "ls", $"s3://{a}/");
            Assert.True(list.ExitCode == 0, list.StdErr);
            Assert.Contains("up.txt", list.StdOut, StringComparison.Ordinal);
            var get = await AwsCliRunner.RunAsync(cluster.Endpoint, user, local, Ct, "s3", "cp", $"s3://{a}/up.txt", "-");
            Assert.Equal("via cli", get.StdOut);
            var delete = await AwsCliRunner.RunAsync(cluster.Endpoint, user, local, Ct, "s3", "rm", $"s3://{a}/up.txt");
            Assert.True(delete.ExitCode == 0, delete.StdErr);

            foreach (var args in new[]
            {
                new[] { "s3api", "get-object", "--bucket", b, "--key", "secret.txt", Path.Combine(local, "out") },
                ["s3api", "list-objects-v2", "--bucket", b],
                ["s3api", "delete-object", "--bucket", b, "--key", "secret.txt"],
            })
            {
                var denied = await AwsCliRunner.RunAsync(cluster.Endpoint, user, local, Ct, args);
                Assert.NotEqual(0, denied.ExitCode);
                Assert.Contains("AccessDenied", denied.StdErr, StringComparison.Ordinal);
            }

            Assert.False(File.Exists(Path.Combine(local, "out")));
            using var still = await cluster.S3.GetObjectAsync(b, "secret.txt", Ct);
            Assert.Equal("b", await new StreamReader(still.ResponseStream).ReadToEndAsync(Ct));
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task ExplicitDeny_BeatsAllow()
    {
        var bucket = await cluster.CreateBucketAsync("deny");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "open/a", ContentBody = "a" }, Ct);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "private/a", ContentBody = "p" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("deny", PolicyJson.Document(
            PolicyJson.Statement("Allow", ["s3:*"], ["*"]),
            PolicyJson.Statement("Deny", ["s3:GetObject"], [$"arn:aws:s3:::{bucket}/private/*"])));
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);

        using (await s3.GetObjectAsync(bucket, "open/a", Ct))
        {
        }

        await S3Assert.SdkErrorAsync(() => s3.GetObjectAsync(bucket, "private/a", Ct), HttpStatusCode.Forbidden, "AccessDenied");

        // A Deny in the bucket policy beats the user's Allow too.
        await cluster.S3.PutBucketPolicyAsync(bucket, PolicyJson.Document(PolicyJson.Statement("Deny", ["s3:GetObject"], [$"arn:aws:s3:::{bucket}/open/*"],
            principal: $$"""{"AWS":"arn:aws:iam::000000000000:user/{{user.Name}}"}""")), Ct);
        var policy = await cluster.S3.GetBucketPolicyAsync(bucket, Ct);
        Assert.Contains(user.Name, policy.Policy, StringComparison.Ordinal);
        await S3Assert.SdkErrorAsync(() => s3.GetObjectAsync(bucket, "open/a", Ct), HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task StringLikeOnPrefix_AllowsListingOnlyUnderThePrefix()
    {
        var bucket = await cluster.CreateBucketAsync("pfx");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "home/alice/a", ContentBody = "a" }, Ct);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "home/bob/b", ContentBody = "b" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("pfx", PolicyJson.Document(
            PolicyJson.Statement("Allow", ["s3:ListBucket"], [$"arn:aws:s3:::{bucket}"], condition: """{"StringLike":{"s3:prefix":["home/alice/*"]}}""")));
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);

        var mine = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "home/alice/" }, Ct);
        Assert.Equal(["home/alice/a"], mine.S3Objects.Select(o => o.Key));
        await S3Assert.SdkErrorAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "home/bob/" }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Theory]
    [InlineData("127.0.0.0/8", true)]
    [InlineData("192.0.2.0/24", false)]
    public async Task IpAddressOnSourceIp_AllowsOnlyFromTheRange(string range, bool allowed)
    {
        var bucket = await cluster.CreateBucketAsync("ip");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("ip", PolicyJson.Document(
            PolicyJson.Statement("Allow", ["s3:GetObject"], [$"arn:aws:s3:::{bucket}/*"], condition: $$$"""{"IpAddress":{"aws:SourceIp":"{{{range}}}"}}""")));
        using var wire = new S3Wire(cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        using var response = await wire.SendAsync(HttpMethod.Get, $"/{bucket}/k");
        if (allowed)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
        }
    }

    [Fact]
    public async Task PresignedGet_InheritsSignersPermissions()
    {
        var (a, b) = (await cluster.CreateBucketAsync("psa"), await cluster.CreateBucketAsync("psb"));
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = a, Key = "k", ContentBody = "in a" }, Ct);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = b, Key = "k", ContentBody = "in b" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("psu", PolicyJson.AllowBucket(a));
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        using var http = new HttpClient();

        var urlA = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = a, Key = "k", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using (var ok = await http.GetAsync(urlA, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("in a", await ok.Content.ReadAsStringAsync(Ct));
        }

        var urlB = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = b, Key = "k", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using var denied = await http.GetAsync(urlB, Ct);
        await S3Assert.ErrorAsync(denied, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.DoesNotContain("in b", await denied.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The same URL stops working when the signer's key is disabled.
        await Admin.SetKeyStatusAsync(user.AccessKeyId, Identity.IdentityStatus.Inactive);
        using var revoked = await http.GetAsync(urlA, Ct);
        await S3Assert.ErrorAsync(revoked, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
    }

    [Fact]
    public async Task PresignedGet_ExpiresAfterItsLifetime()
    {
        var bucket = await cluster.CreateBucketAsync("pse");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        var user = await Admin.CreateUserWithKeyAsync("pse", PolicyJson.AllowBucket(bucket));
        // Both URLs were signed 30 s ago: one lived 60 s (still valid), the other 20 s (expired ten seconds ago). No sleeping,
        // so a slow machine cannot turn the live request into an expired one.
        var signedAt = DateTimeOffset.UtcNow.AddSeconds(-30);
        var liveUrl = Presigner.PresignGet(cluster.Endpoint, $"/{bucket}/k", user.AccessKeyId, user.SecretKey, ComIOCluster.Region, expiresSeconds: 60, signedAt);
        var expiredUrl = Presigner.PresignGet(cluster.Endpoint, $"/{bucket}/k", user.AccessKeyId, user.SecretKey, ComIOCluster.Region, expiresSeconds: 20, signedAt);
        Assert.Contains("X-Amz-Expires=20&", expiredUrl.ToString(), StringComparison.Ordinal);
        using var http = new HttpClient();
        using (var live = await http.GetAsync(liveUrl, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        using var expired = await http.GetAsync(expiredUrl, Ct);
        await S3Assert.ErrorAsync(expired, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.Contains("Request has expired", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateBucket_IsDenied_WhenPolicyLacksCreateBucket()
    {
        var user = await Admin.CreateUserWithKeyAsync("nocreate", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:GetObject", "s3:ListBucket"], ["*"])));
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        var name = cluster.NewBucketName("nc");
        await S3Assert.SdkErrorAsync(() => s3.PutBucketAsync(name, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetBucketLocationAsync(name, Ct), HttpStatusCode.NotFound, "NoSuchBucket");

        // A user without any policy cannot either.
        var bare = await Admin.CreateUserWithKeyAsync("bare");
        using var bareClient = cluster.NewClient(bare.AccessKeyId, bare.SecretKey);
        await S3Assert.SdkErrorAsync(() => bareClient.PutBucketAsync(name, Ct), HttpStatusCode.Forbidden, "AccessDenied");
    }
}
