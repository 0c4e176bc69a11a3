using System.Net;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>Users own the buckets they create: listings, name conflicts, and full control inside their own buckets only.</summary>
public sealed class BucketOwnershipTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>May create buckets; everything else comes from owning them.</summary>
    private static readonly string CreatorPolicy = PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:CreateBucket"], ["*"]));

    private AdminApiClient Admin => new(cluster.Wire);

    [Fact]
    public async Task ListBuckets_ShowsOwnBucketsOnly_WithOwner()
    {
        var alice = await Admin.CreateUserWithKeyAsync("alice", CreatorPolicy);
        var bob = await Admin.CreateUserWithKeyAsync("bob", CreatorPolicy);
        using var aliceS3 = cluster.NewClient(alice.AccessKeyId, alice.SecretKey);
        using var bobS3 = cluster.NewClient(bob.AccessKeyId, bob.SecretKey);
        var aliceBucket = cluster.NewBucketName("alice");
        var bobBucket = cluster.NewBucketName("bob");
        await aliceS3.PutBucketAsync(aliceBucket, Ct);
        await bobS3.PutBucketAsync(bobBucket, Ct);

        var aliceList = await aliceS3.ListBucketsAsync(Ct);
        Assert.Equal([aliceBucket], aliceList.Buckets.Select(b => b.BucketName));
        Assert.Equal(alice.CanonicalId, aliceList.Owner.Id);
        Assert.Equal(alice.Name, aliceList.Owner.DisplayName);
        Assert.Equal([bobBucket], ((await bobS3.ListBucketsAsync(Ct)).Buckets ?? []).Select(b => b.BucketName));

        var all = (await cluster.S3.ListBucketsAsync(Ct)).Buckets.Select(b => b.BucketName).ToList();
        Assert.Contains(aliceBucket, all);
        Assert.Contains(bobBucket, all);

        // s3:ListAllMyBuckets in an identity policy shows every bucket, as an account's buckets to its IAM users.
        var auditor = await Admin.CreateUserWithKeyAsync("aud", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:ListAllMyBuckets"], ["*"])));
        using var auditorS3 = cluster.NewClient(auditor.AccessKeyId, auditor.SecretKey);
        var seen = (await auditorS3.ListBucketsAsync(Ct)).Buckets.Select(b => b.BucketName).ToList();
        Assert.Contains(aliceBucket, seen);
        Assert.Contains(bobBucket, seen);

        using var anonymous = await cluster.Wire.SendAsync(HttpMethod.Get, "/", anonymous: true);
        await S3Assert.ErrorAsync(anonymous, HttpStatusCode.Forbidden, "AccessDenied");

        var acl = (await aliceS3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = aliceBucket }, Ct));
        Assert.Equal(alice.CanonicalId, acl.Owner.Id);
    }

    [Fact]
    public async Task CreateBucket_ReturnsBucketAlreadyExists_ForAnotherUsersName_AndAlreadyOwnedByYou_ForOwn()
    {
        var alice = await Admin.CreateUserWithKeyAsync("alice", CreatorPolicy);
        var bob = await Admin.CreateUserWithKeyAsync("bob", CreatorPolicy);
        using var aliceS3 = cluster.NewClient(alice.AccessKeyId, alice.SecretKey);
        using var bobS3 = cluster.NewClient(bob.AccessKeyId, bob.SecretKey);
        var bucket = cluster.NewBucketName("taken");
        await aliceS3.PutBucketAsync(bucket, Ct);

        await S3Assert.SdkErrorAsync(() => bobS3.PutBucketAsync(bucket, Ct), HttpStatusCode.Conflict, "BucketAlreadyExists");
        await S3Assert.SdkErrorAsync(() => aliceS3.PutBucketAsync(bucket, Ct), HttpStatusCode.Conflict, "BucketAlreadyOwnedByYou");
        await S3Assert.SdkErrorAsync(() => cluster.S3.PutBucketAsync(bucket, Ct), HttpStatusCode.Conflict, "BucketAlreadyExists");

        // Bob's failed attempt did not take the bucket over.
        Assert.Equal(alice.CanonicalId, (await aliceS3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, Ct)).Owner.Id);
        Assert.DoesNotContain(bucket, ((await bobS3.ListBucketsAsync(Ct)).Buckets ?? []).Select(b => b.BucketName));
    }

    [Fact]
    public async Task Owner_MayDoEverythingInOwnBucket_OthersNothing()
    {
        var alice = await Admin.CreateUserWithKeyAsync("alice", CreatorPolicy);
        var bob = await Admin.CreateUserWithKeyAsync("bob", CreatorPolicy);
        using var aliceS3 = cluster.NewClient(alice.AccessKeyId, alice.SecretKey);
        using var bobS3 = cluster.NewClient(bob.AccessKeyId, bob.SecretKey);
        var bucket = cluster.NewBucketName("mine");
        await aliceS3.PutBucketAsync(bucket, Ct);

        await aliceS3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        using (await aliceS3.GetObjectAsync(bucket, "k", Ct))
        {
        }

        Assert.Single((await aliceS3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct)).S3Objects);
        await aliceS3.PutBucketPolicyAsync(bucket, PolicyJson.Document(PolicyJson.Statement("Deny", ["s3:DeleteBucket"], [$"arn:aws:s3:::{bucket}"], principal: "\"*\"")), Ct);
        await aliceS3.DeleteBucketPolicyAsync(bucket, Ct);

        await S3Assert.SdkErrorAsync(() => bobS3.GetObjectAsync(bucket, "k", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => bobS3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => bobS3.DeleteObjectAsync(bucket, "k", Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => bobS3.DeleteBucketAsync(bucket, Ct), HttpStatusCode.Forbidden, "AccessDenied");
        await S3Assert.SdkErrorAsync(() => bobS3.GetBucketAclAsync(new GetBucketAclRequest { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "AccessDenied");

        await aliceS3.DeleteObjectAsync(bucket, "k", Ct);
        await aliceS3.DeleteBucketAsync(bucket, Ct);
    }
}
