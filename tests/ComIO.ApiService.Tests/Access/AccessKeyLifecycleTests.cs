using System.Net;
using Amazon.S3.Model;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>Disabling, deleting and rotating keys and disabling users take effect with the very next request.</summary>
public sealed class AccessKeyLifecycleTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    [Fact]
    public async Task DisabledKey_StopsWorkingAtOnce_AndWorksAgainWhenEnabled()
    {
        var (bucket, user) = await UserWithBucketAsync("dis");
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        await s3.GetObjectMetadataAsync(bucket, "k", Ct);

        await Admin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Inactive);
        await S3Assert.SdkErrorAsync(() => s3.GetObjectMetadataAsync(bucket, "k", Ct), HttpStatusCode.Forbidden, "");
        using var wire = new S3Wire(cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        using (var denied = await wire.SendAsync(HttpMethod.Get, $"/{bucket}/k"))
        {
            await S3Assert.ErrorAsync(denied, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }

        Assert.Equal(IdentityStatus.Inactive, Assert.Single(await Admin.ListKeysAsync(user.Name)).Status);
        await Admin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Active);
        using var again = await wire.SendAsync(HttpMethod.Get, $"/{bucket}/k");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task DisabledUser_KeysStopWorkingAtOnce()
    {
        var (bucket, user) = await UserWithBucketAsync("dus");
        using var wire = new S3Wire(cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        using (var ok = await wire.SendAsync(HttpMethod.Get, $"/{bucket}/k"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await Admin.SetUserStatusAsync(user.Name, IdentityStatus.Inactive);
        using (var denied = await wire.SendAsync(HttpMethod.Get, $"/{bucket}/k"))
        {
            await S3Assert.ErrorAsync(denied, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }

        // A key created while the user is disabled does not work either.
        var second = await Admin.CreateKeyAsync(user.Name);
        using var secondWire = new S3Wire(cluster.Endpoint, second.AccessKeyId, second.SecretAccessKey, ComIOCluster.Region);
        using var alsoDenied = await secondWire.SendAsync(HttpMethod.Get, $"/{bucket}/k");
        await S3Assert.ErrorAsync(alsoDenied, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
    }

    [Fact]
    public async Task DeletedKey_StopsWorking()
    {
        var (bucket, user) = await UserWithBucketAsync("del");
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        await s3.GetObjectMetadataAsync(bucket, "k", Ct);
        await Admin.DeleteKeyAsync(user.AccessKeyId);
        var error = await S3Assert.SdkErrorAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        Assert.Empty(await Admin.ListKeysAsync(user.Name));
        using var again = await Admin.SendAsync(HttpMethod.Delete, $"/keys/{user.AccessKeyId}");
        await AdminApiClient.ErrorAsync(again, HttpStatusCode.NotFound, "NoSuchEntity");
        Assert.NotNull(error);
    }

    [Fact]
    public async Task DeletedUser_KeysStopWorking()
    {
        var (bucket, user) = await UserWithBucketAsync("delu");
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        await s3.GetObjectMetadataAsync(bucket, "k", Ct);
        await Admin.DeleteUserAsync(user.Name);
        await S3Assert.SdkErrorAsync(() => s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        using var keyGone = await Admin.SendAsync(HttpMethod.Put, $"/keys/{user.AccessKeyId}/status", """{"status":"Active"}""");
        await AdminApiClient.ErrorAsync(keyGone, HttpStatusCode.NotFound, "NoSuchEntity");
    }

    [Fact]
    public async Task RotatedKey_OldIsDisabled_NewWorks()
    {
        var (bucket, user) = await UserWithBucketAsync("rot");
        var rotated = await Admin.RotateKeyAsync(user.AccessKeyId);
        Assert.NotEqual(user.AccessKeyId, rotated.AccessKeyId);
        Assert.NotEqual(user.SecretKey, rotated.SecretAccessKey);
        Assert.Equal(user.Name, rotated.UserName);

        using var oldClient = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        await S3Assert.SdkErrorAsync(() => oldClient.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct), HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        using var newClient = cluster.NewClient(rotated.AccessKeyId, rotated.SecretAccessKey);
        var listed = await newClient.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(["k"], listed.S3Objects.Select(o => o.Key));

        var keys = await Admin.ListKeysAsync(user.Name);
        Assert.Equal(IdentityStatus.Inactive, keys.Single(k => k.AccessKeyId == user.AccessKeyId).Status);
        Assert.Equal(IdentityStatus.Active, keys.Single(k => k.AccessKeyId == rotated.AccessKeyId).Status);
    }

    [Fact]
    public async Task UnknownUserKey_IsRefusedWithInvalidAccessKeyId()
    {
        using var wire = new S3Wire(cluster.Endpoint, "CKAAAAAAAAAAAAAAAAAA", "whatever-secret", ComIOCluster.Region);
        using var response = await wire.SendAsync(HttpMethod.Get, "/");
        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
    }

    private async Task<(string Bucket, TestUser User)> UserWithBucketAsync(string hint)
    {
        var bucket = await cluster.CreateBucketAsync(hint);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        return (bucket, await Admin.CreateUserWithKeyAsync(hint, PolicyJson.AllowBucket(bucket)));
    }
}
