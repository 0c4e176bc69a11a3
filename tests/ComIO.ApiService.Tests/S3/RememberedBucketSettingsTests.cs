using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.Access;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// The API service keeps bucket settings in memory for GET, HEAD, DELETE and small PUTs, validated by the owner node's
/// settings stamp. Two API replicas over the same nodes: a change made through one applies to the very next request
/// through the other, which remembered the old settings, whether the change allows what was refused or refuses what
/// was allowed; and a warm replica makes one node call per hot operation instead of two.
/// </summary>
public sealed class RememberedBucketSettingsTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PolicyChangeOnOneReplica_AppliesToTheNextAnonymousGetOnAnother()
    {
        var bucket = await cluster.CreateBucketAsync("pol");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "public" }, Ct);
        var other = cluster.StartAnotherApi();
        using var anonymous = new HttpClient();
        var url = new Uri(other, $"{bucket}/k");

        // The other replica remembers "no policy" and refuses; A adds a public-read policy; the next GET on the other succeeds.
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(url, Ct)).StatusCode);
        await cluster.S3.PutBucketPolicyAsync(new PutBucketPolicyRequest { BucketName = bucket, Policy = PolicyJson.PublicRead(bucket) }, Ct);
        using (var allowed = await anonymous.GetAsync(url, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            Assert.Equal("public", await allowed.Content.ReadAsStringAsync(Ct));
        }

        // Now it remembers the policy; A removes it; the next GET on the other is refused.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(url, Ct)).StatusCode);
        await cluster.S3.DeleteBucketPolicyAsync(new DeleteBucketPolicyRequest { BucketName = bucket }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task DefaultEncryptionSetOnOneReplica_AppliesToTheNextSmallPutOnAnother()
    {
        var bucket = await cluster.CreateBucketAsync("enc");
        using var other = cluster.NewClient(ComIOCluster.AccessKey, ComIOCluster.SecretKey, endpoint: cluster.StartAnotherApi());
        var before = await other.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "plain" }, Ct);
        Assert.Null(before.ServerSideEncryptionMethod?.Value);

        await cluster.S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 } }],
            },
        }, Ct);

        // The other replica decided with "no default encryption" (remembered for the node that owns "k"); the node refuses
        // the stale stamp before reading the payload, and the PUT is served again from the kept payload with the new settings.
        var payload = new string('x', 40_000);
        var after = await other.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = payload }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, after.ServerSideEncryptionMethod);
        using var read = await other.GetObjectAsync(bucket, "k", Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, read.ServerSideEncryptionMethod);
        using var reader = new StreamReader(read.ResponseStream);
        Assert.Equal(payload, await reader.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task LifecycleSetOnOneReplica_ShowsInTheNextHeadOnAnother()
    {
        var bucket = await cluster.CreateBucketAsync("lc");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "logs/a", ContentBody = "a" }, Ct);
        using var other = cluster.NewClient(ComIOCluster.AccessKey, ComIOCluster.SecretKey, endpoint: cluster.StartAnotherApi());
        Assert.Null((await other.GetObjectMetadataAsync(bucket, "logs/a", Ct)).Expiration);

        await cluster.S3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest
        {
            BucketName = bucket,
            Configuration = new LifecycleConfiguration
            {
                Rules = [new LifecycleRule { Id = "expire-logs", Status = LifecycleRuleStatus.Enabled, Filter = new LifecycleFilter { LifecycleFilterPredicate = new LifecyclePrefixPredicate { Prefix = "logs/" } }, Expiration = new LifecycleRuleExpiration { Days = 3 } }],
            },
        }, Ct);

        Assert.Equal("expire-logs", (await other.GetObjectMetadataAsync(bucket, "logs/a", Ct)).Expiration?.RuleId);
    }

    [Fact]
    public async Task WarmReplica_MakesOneNodeCallPerGetHeadPutAndDelete()
    {
        var bucket = await cluster.CreateBucketAsync("calls");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "warm", ContentBody = "w" }, Ct);
        await cluster.S3.GetObjectMetadataAsync(bucket, "warm", Ct); // settings remembered from here on
        using var counter = new NodeCallCounter(cluster.NodeAddresses);

        const int Rounds = 10;
        for (var i = 0; i < Rounds; i++)
        {
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i}", ContentBody = "small" }, Ct);
            using (var get = await cluster.S3.GetObjectAsync(bucket, $"k{i}", Ct))
            {
                await get.ResponseStream.CopyToAsync(Stream.Null, Ct);
            }

            await cluster.S3.GetObjectMetadataAsync(bucket, $"k{i}", Ct);
            await cluster.S3.DeleteObjectAsync(bucket, $"k{i}", Ct);
        }

        counter.Dispose();

        // Reading the settings from a node on every request would make 8 calls per round (2 per operation).
        Assert.InRange(counter.Calls, 4 * Rounds, (4 * Rounds) + 2);
    }
}
