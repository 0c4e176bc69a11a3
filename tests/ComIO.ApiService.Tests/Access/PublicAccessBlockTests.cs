using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>Block Public Access overrides public ACLs and public bucket policies, for new and existing grants.</summary>
public sealed class PublicAccessBlockTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublicAccessBlock_PutGetDelete_RoundTrips()
    {
        var bucket = await cluster.CreateBucketAsync("bpart");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, Ct), HttpStatusCode.NotFound, "NoSuchPublicAccessBlockConfiguration");
        await PutBlockAsync(bucket, blockAcls: true, ignoreAcls: false, blockPolicy: true, restrict: false);
        var config = (await cluster.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, Ct)).PublicAccessBlockConfiguration;
        Assert.True(config.BlockPublicAcls);
        Assert.False(config.IgnorePublicAcls);
        Assert.True(config.BlockPublicPolicy);
        Assert.False(config.RestrictPublicBuckets);
        await cluster.S3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket }, Ct);
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetPublicAccessBlockAsync(new GetPublicAccessBlockRequest { BucketName = bucket }, Ct), HttpStatusCode.NotFound, "NoSuchPublicAccessBlockConfiguration");
    }

    [Fact]
    public async Task BlockPublicAcls_RefusesPublicAcls_OnObjectsAndBucket()
    {
        var bucket = await cluster.CreateBucketAsync("bpacl");
        await PutBlockAsync(bucket, blockAcls: true, ignoreAcls: false, blockPolicy: false, restrict: false);
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k", CannedACL = S3CannedACL.PublicRead }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct), HttpStatusCode.NotFound, "");

        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutObjectAclAsync(new PutObjectAclRequest { BucketName = bucket, Key = "k", ACL = S3CannedACL.PublicRead }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = bucket, ACL = S3CannedACL.PublicReadWrite }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        using var grant = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", query: [("acl", "")], headers: [("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")]);
        await S3Assert.ErrorAsync(grant, HttpStatusCode.Forbidden, "AccessDenied");

        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using var anonymous = await http.GetAsync($"/{bucket}/k", Ct);
        await S3Assert.ErrorAsync(anonymous, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task IgnorePublicAcls_MakesExistingPublicObjectUnreadableAnonymously()
    {
        var bucket = await cluster.CreateBucketAsync("bpign");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k", CannedACL = S3CannedACL.PublicRead }, Ct);
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using (var before = await http.GetAsync($"/{bucket}/k", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await PutBlockAsync(bucket, blockAcls: false, ignoreAcls: true, blockPolicy: false, restrict: false);
        using (var after = await http.GetAsync($"/{bucket}/k", Ct))
        {
            await S3Assert.ErrorAsync(after, HttpStatusCode.Forbidden, "AccessDenied");
        }

        // The ACL itself is kept: lifting the block makes it public again.
        await cluster.S3.DeletePublicAccessBlockAsync(new DeletePublicAccessBlockRequest { BucketName = bucket }, Ct);
        using var lifted = await http.GetAsync($"/{bucket}/k", Ct);
        Assert.Equal(HttpStatusCode.OK, lifted.StatusCode);
    }

    [Fact]
    public async Task BlockPublicPolicy_RefusesPublicPolicy_AcceptsNonPublicOne()
    {
        var bucket = await cluster.CreateBucketAsync("bppol");
        await PutBlockAsync(bucket, blockAcls: false, ignoreAcls: false, blockPolicy: true, restrict: false);
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutBucketPolicyAsync(bucket, PolicyJson.PublicRead(bucket), Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await BucketPolicyTests.AssertNoBucketPolicyAsync(cluster, bucket);

        var user = await new AdminApiClient(cluster.Wire).CreateUserWithKeyAsync("bpp");
        var scoped = PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:GetObject"], [$"arn:aws:s3:::{bucket}/*"], principal: $$"""{"AWS":"arn:aws:iam::000000000000:user/{{user.Name}}"}"""));
        await cluster.S3.PutBucketPolicyAsync(bucket, scoped, Ct);
    }

    [Fact]
    public async Task RestrictPublicBuckets_BlocksAnonymousAccessFromExistingPublicPolicy()
    {
        var bucket = await cluster.CreateBucketAsync("bprst");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        await cluster.S3.PutBucketPolicyAsync(bucket, PolicyJson.PublicRead(bucket), Ct);
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using (var before = await http.GetAsync($"/{bucket}/k", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await PutBlockAsync(bucket, blockAcls: false, ignoreAcls: false, blockPolicy: false, restrict: true);
        using (var after = await http.GetAsync($"/{bucket}/k", Ct))
        {
            await S3Assert.ErrorAsync(after, HttpStatusCode.Forbidden, "AccessDenied");
        }

        // The policy is still there; the owner still reads.
        Assert.Equal(PolicyJson.PublicRead(bucket), (await cluster.S3.GetBucketPolicyAsync(bucket, Ct)).Policy);
        using var owner = await cluster.S3.GetObjectAsync(bucket, "k", Ct);
        Assert.Equal("k", await new StreamReader(owner.ResponseStream).ReadToEndAsync(Ct));
    }

    private async Task PutBlockAsync(string bucket, bool blockAcls, bool ignoreAcls, bool blockPolicy, bool restrict) =>
        await cluster.S3.PutPublicAccessBlockAsync(new PutPublicAccessBlockRequest
        {
            BucketName = bucket,
            PublicAccessBlockConfiguration = new PublicAccessBlockConfiguration
            {
                BlockPublicAcls = blockAcls,
                IgnorePublicAcls = ignoreAcls,
                BlockPublicPolicy = blockPolicy,
                RestrictPublicBuckets = restrict,
            },
        }, Ct);
}
