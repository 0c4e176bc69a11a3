using System.Net;
using Amazon.S3.Model;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// The API service remembers a user's credential for the hot object operations, validated by the owner node's settings
/// stamp like remembered bucket settings. Two API replicas over the same nodes: a key disabled, a user disabled or a
/// user policy changed through one applies to the very next request through the other, which remembered the old
/// identity; and a warm replica makes one node call per hot operation with a user's key, as with the admin's.
/// </summary>
public sealed class RememberedIdentityTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>, IDisposable
{
    private readonly List<S3Wire> _wires = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    public void Dispose()
    {
        foreach (var wire in _wires)
        {
            wire.Dispose();
        }
    }

    [Fact]
    public async Task KeyDisabledThroughOneReplica_IsRefusedOnTheNextHotRequestThroughAnother_AndWorksWhenEnabledAgain()
    {
        var (bucket, user, other) = await RememberedOnAnotherReplicaAsync("kd", HttpMethod.Get);

        await Admin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Inactive);
        await ExpectGetPutAndDeleteRefusedAsync(other, $"/{bucket}/k", "InvalidAccessKeyId");

        Assert.Equal("k", await ReadAsync(bucket, "k")); // nothing was written or deleted

        await Admin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Active);
        await ExpectStatusAsync(other, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeyDisabled_IsRefusedAlsoWhereTheBucketSettingsAreFirstReadAfterTheChange()
    {
        // The identity is remembered for both nodes through one bucket; after the change, the settings of a second
        // bucket are read fresh (under the new stamp), so the identity's own stamp is what the node must refuse.
        var first = await cluster.CreateBucketAsync("ka");
        var second = await cluster.CreateBucketAsync("kb");
        var keys = Enumerable.Range(0, 8).Select(i => $"k{i}").ToArray();
        foreach (var key in keys)
        {
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = first, Key = key, ContentBody = key }, Ct);
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = second, Key = key, ContentBody = key }, Ct);
        }

        var policy = PolicyJson.Document(
            PolicyJson.Statement("Allow", ["s3:GetObject"], [$"arn:aws:s3:::{first}/*"]),
            PolicyJson.Statement("Allow", ["s3:GetObject"], [$"arn:aws:s3:::{second}/*"]));
        var user = await Admin.CreateUserWithKeyAsync("kab", policy);
        using var other = new S3Wire(cluster.StartAnotherApi(), user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        foreach (var key in keys)
        {
            await ExpectStatusAsync(other, HttpMethod.Get, $"/{first}/{key}", HttpStatusCode.OK);
            await ExpectStatusAsync(other, HttpMethod.Get, $"/{first}/{key}", HttpStatusCode.OK);
        }

        await Admin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Inactive);
        foreach (var key in keys)
        {
            using var refused = await other.SendAsync(HttpMethod.Get, $"/{second}/{key}");
            await S3Assert.ErrorAsync(refused, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }
    }

    [Fact]
    public async Task UserDisabledThroughOneReplica_IsRefusedOnTheNextHotRequestThroughAnother()
    {
        var (bucket, user, other) = await RememberedOnAnotherReplicaAsync("ud", HttpMethod.Head);

        await Admin.SetUserStatusAsync(user.Name, IdentityStatus.Inactive);
        using var refused = await other.SendAsync(HttpMethod.Get, $"/{bucket}/k");
        await S3Assert.ErrorAsync(refused, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
    }

    [Fact]
    public async Task UserPolicyChangedThroughOneReplica_AppliesToTheNextHotRequestThroughAnother_BothWays()
    {
        var (bucket, user, other) = await RememberedOnAnotherReplicaAsync("up", HttpMethod.Get);

        // The other replica remembers a policy that allows; the policy now denies: the node refuses the remembered stamp.
        await Admin.PutPolicyAsync(user.Name, "test", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:ListBucket"], [$"arn:aws:s3:::{bucket}"])));
        await ExpectGetPutAndDeleteRefusedAsync(other, $"/{bucket}/k", "AccessDenied");

        Assert.Equal("k", await ReadAsync(bucket, "k"));

        // Now it remembers the denying policy; allowing again applies at once too (the refusal was provisional).
        await ExpectStatusAsync(other, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.Forbidden);
        await Admin.PutPolicyAsync(user.Name, "test", PolicyJson.AllowBucket(bucket));
        await ExpectStatusAsync(other, HttpMethod.Get, $"/{bucket}/k", HttpStatusCode.OK);
    }

    [Fact]
    public async Task RememberedIdentity_IsReadAfreshForAnOperationThatSendsNoStamp()
    {
        var (bucket, user, other) = await RememberedOnAnotherReplicaAsync("fr", HttpMethod.Get);

        // A PUT above the replayable size and a copy decide with settings read from the nodes and send no stamp: the
        // remembered identity must not stand for them.
        await Admin.SetKeyStatusAsync(user.AccessKeyId, IdentityStatus.Inactive);
        using (var large = await other.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: new byte[100_000]))
        {
            await S3Assert.ErrorAsync(large, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }

        using (var copy = await other.SendAsync(HttpMethod.Put, $"/{bucket}/copy", headers: [("x-amz-copy-source", $"/{bucket}/k")]))
        {
            await S3Assert.ErrorAsync(copy, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
        }

        Assert.Equal("k", await ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task WarmReplica_WithAUserKey_MakesOneNodeCallPerGetHeadPutAndDelete()
    {
        var (bucket, user) = await UserWithBucketAsync("calls");
        using var s3 = cluster.NewClient(user.AccessKeyId, user.SecretKey);
        for (var i = 0; i < 4; i++)
        {
            // Identity and settings remembered for both nodes from here on (keys spread over the nodes).
            await s3.GetObjectMetadataAsync(bucket, "k", Ct);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"warm{i}", ContentBody = "w" }, Ct);
        }

        using var counter = new NodeCallCounter(cluster.NodeAddresses);

        const int Rounds = 10;
        for (var i = 0; i < Rounds; i++)
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i}", ContentBody = "small" }, Ct);
            using (var get = await s3.GetObjectAsync(bucket, $"k{i}", Ct))
            {
                await get.ResponseStream.CopyToAsync(Stream.Null, Ct);
            }

            await s3.GetObjectMetadataAsync(bucket, $"k{i}", Ct);
            await s3.DeleteObjectAsync(bucket, $"k{i}", Ct);
        }

        counter.Dispose();

        // Reading the key and the user from a node on every request would make 12 calls per round (3 per operation).
        Assert.InRange(counter.Calls, 4 * Rounds, (4 * Rounds) + 4);
    }

    /// <summary>
    /// A user allowed on a new bucket holding "k", and a wire signing with the user's key through another API replica
    /// that has served two <paramref name="warmUp"/> requests of "k" (so it remembers the user from the second on).
    /// </summary>
    private async Task<(string Bucket, TestUser User, S3Wire Other)> RememberedOnAnotherReplicaAsync(string hint, HttpMethod warmUp)
    {
        var (bucket, user) = await UserWithBucketAsync(hint);
        var other = new S3Wire(cluster.StartAnotherApi(), user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        _wires.Add(other);
        await ExpectStatusAsync(other, warmUp, $"/{bucket}/k", HttpStatusCode.OK);
        await ExpectStatusAsync(other, warmUp, $"/{bucket}/k", HttpStatusCode.OK);
        return (bucket, user, other);
    }

    private async Task<(string Bucket, TestUser User)> UserWithBucketAsync(string hint)
    {
        var bucket = await cluster.CreateBucketAsync(hint);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "k" }, Ct);
        return (bucket, await Admin.CreateUserWithKeyAsync(hint, PolicyJson.AllowBucket(bucket)));
    }

    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var response = await cluster.S3.GetObjectAsync(bucket, key, Ct);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync(Ct);
    }

    /// <summary>A GET, a PUT and a DELETE of <paramref name="path"/> each answer 403 with <paramref name="code"/>.</summary>
    private static async Task ExpectGetPutAndDeleteRefusedAsync(S3Wire wire, string path, string code)
    {
        foreach (var (method, body) in new[] { (HttpMethod.Get, (byte[]?)null), (HttpMethod.Put, "new"u8.ToArray()), (HttpMethod.Delete, null) })
        {
            using var refused = await wire.SendAsync(method, path, body: body);
            await S3Assert.ErrorAsync(refused, HttpStatusCode.Forbidden, code);
        }
    }

    private static async Task ExpectStatusAsync(S3Wire wire, HttpMethod method, string path, HttpStatusCode expected)
    {
        using var response = await wire.SendAsync(method, path);
        Assert.Equal(expected, response.StatusCode);
    }
}
