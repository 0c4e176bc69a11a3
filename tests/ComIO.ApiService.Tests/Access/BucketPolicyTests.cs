using System.Net;
using System.Text;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>Bucket policies: storage byte for byte, validation, policy status, and the access they grant.</summary>
public sealed class BucketPolicyTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BucketPolicy_PutGetDelete_RoundTripsByteForByte()
    {
        var bucket = await cluster.CreateBucketAsync("bprt");
        using (var none = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("policy", "")]))
        {
            await S3Assert.ErrorAsync(none, HttpStatusCode.NotFound, "NoSuchBucketPolicy");
        }

        var policy = "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"ünïcode id\",\n  \"Statement\": [ {\"Sid\":\"Read\",   \"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\n"
            + $"    \"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::{bucket}/*\"}} ]\n}}\n";
        var bytes = Encoding.UTF8.GetBytes(policy);
        using (var put = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}", query: [("policy", "")], body: bytes))
        {
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        }

        using (var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("policy", "")]))
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync(Ct));
        }

        Assert.Equal(policy, (await cluster.S3.GetBucketPolicyAsync(bucket, Ct)).Policy);
        await cluster.S3.DeleteBucketPolicyAsync(bucket, Ct);
        await AssertNoBucketPolicyAsync(cluster, bucket);
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket }, Ct), HttpStatusCode.NotFound, "NoSuchBucketPolicy");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::some-other-bucket/*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:FlyToTheMoon","Resource":"arn:aws:s3:::BUCKET/*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::BUCKET/*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""")]
    public async Task PutBucketPolicy_ReturnsMalformedPolicy_WhenDocumentIsInvalid(string policy)
    {
        var bucket = await cluster.CreateBucketAsync("bpbad");
        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}", query: [("policy", "")], body: Encoding.UTF8.GetBytes(policy.Replace("BUCKET", bucket, StringComparison.Ordinal)));
        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "MalformedPolicy");
        await AssertNoBucketPolicyAsync(cluster, bucket);
    }

    [Fact]
    public async Task GetBucketPolicyStatus_ReportsWhetherPolicyIsPublic()
    {
        var bucket = await cluster.CreateBucketAsync("bpst");
        var user = await new AdminApiClient(cluster.Wire).CreateUserWithKeyAsync("bps");
        await cluster.S3.PutBucketPolicyAsync(bucket, GrantTo(user, bucket, "s3:GetObject"), Ct);
        Assert.False((await cluster.S3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket }, Ct)).PolicyStatus.IsPublic);
        await cluster.S3.PutBucketPolicyAsync(bucket, PolicyJson.PublicRead(bucket), Ct);
        Assert.True((await cluster.S3.GetBucketPolicyStatusAsync(new GetBucketPolicyStatusRequest { BucketName = bucket }, Ct)).PolicyStatus.IsPublic);

        using var wire = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("policyStatus", "")]);
        var root = (await S3Wire.XmlAsync(wire)).Root!;
        Assert.Equal(S3Wire.Ns + "PolicyStatus", root.Name);
        Assert.Equal("true", root.Element(S3Wire.Ns + "IsPublic")?.Value);
    }

    [Fact]
    public async Task PublicReadPolicy_LetsAnonymousGet_ButNothingElse()
    {
        var bucket = await cluster.CreateBucketAsync("bppub");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "public" }, Ct);
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using (var before = await http.GetAsync($"/{bucket}/k", Ct))
        {
            await S3Assert.ErrorAsync(before, HttpStatusCode.Forbidden, "AccessDenied");
        }

        await cluster.S3.PutBucketPolicyAsync(bucket, PolicyJson.PublicRead(bucket), Ct);
        using (var after = await http.GetAsync($"/{bucket}/k", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Equal("public", await after.Content.ReadAsStringAsync(Ct));
        }

        using (var list = await http.GetAsync($"/{bucket}", Ct))
        {
            await S3Assert.ErrorAsync(list, HttpStatusCode.Forbidden, "AccessDenied");
        }

        using (var put = await http.PutAsync($"/{bucket}/k", new ByteArrayContent("x"u8.ToArray()), Ct))
        {
            await S3Assert.ErrorAsync(put, HttpStatusCode.Forbidden, "AccessDenied");
        }

        await cluster.S3.DeleteBucketPolicyAsync(bucket, Ct);
        using var revoked = await http.GetAsync($"/{bucket}/k", Ct);
        await S3Assert.ErrorAsync(revoked, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task PolicyGrantingPutObject_LetsSecondUserWriteUnderThePrefixOnly()
    {
        var bucket = await cluster.CreateBucketAsync("bpput");
        var user = await new AdminApiClient(cluster.Wire).CreateUserWithKeyAsync("bpw");
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        await S3Assert.SdkErrorAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "drop/1", ContentBody = "1" }, Ct), System.Net.HttpStatusCode.Forbidden, "AccessDenied");

        await cluster.S3.PutBucketPolicyAsync(bucket, GrantTo(user, bucket, "s3:PutObject", "drop/*"), Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "drop/1", ContentBody = "1" }, Ct);
        await S3Assert.SdkErrorAsync(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "elsewhere", ContentBody = "1" }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.DeleteObjectAsync(bucket, "drop/1", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        using var stored = await cluster.S3.GetObjectAsync(bucket, "drop/1", Ct);
        Assert.Equal("1", await new StreamReader(stored.ResponseStream).ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task PutBucketPolicy_IsDenied_ForUserWhoDoesNotOwnTheBucket()
    {
        var bucket = await cluster.CreateBucketAsync("bpown");
        var user = await new AdminApiClient(cluster.Wire).CreateUserWithKeyAsync("bpo");
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        await S3Assert.SdkErrorAsync(() => s3.PutBucketPolicyAsync(bucket, PolicyJson.PublicRead(bucket), Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => s3.GetBucketPolicyAsync(bucket, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await AssertNoBucketPolicyAsync(cluster, bucket);
    }

    /// <summary>GetBucketPolicy answers 404 NoSuchBucketPolicy (asked on the wire: the SDK reports it as an empty policy).</summary>
    internal static async Task AssertNoBucketPolicyAsync(ComIOCluster cluster, string bucket)
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("policy", "")]);
        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, "NoSuchBucketPolicy");
    }

    private static string GrantTo(TestUser user, string bucket, string action, string keyPattern = "*") =>
        PolicyJson.Document(PolicyJson.Statement("Allow", [action], [$"arn:aws:s3:::{bucket}/{keyPattern}"], principal: $$"""{"AWS":"arn:aws:iam::000000000000:user/{{user.Name}}"}"""));
}
