using System.Security.Cryptography;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

[Collection(TopologyCollection.Name)]
public sealed class DurabilityTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Objects_SurviveRestartOfTheWholeTopology()
    {
        var bucket = "durable-" + Guid.NewGuid().ToString("N")[..10];
        var objects = Enumerable.Range(0, 12).ToDictionary(i => $"k/{i:D2}", i => RandomNumberGenerator.GetBytes(i * 50_000 + 1));
        using (var s3 = topology.CreateClient())
        {
            await s3.PutBucketAsync(bucket, Ct);
            foreach (var (key, data) in objects)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, Ct);
            }
        }

        await topology.RestartAsync();

        using var after = topology.CreateClient();
        var listing = await after.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(objects.Keys.Order(StringComparer.Ordinal), listing.S3Objects.Select(o => o.Key));
        foreach (var (key, data) in objects)
        {
            using var get = await after.GetObjectAsync(bucket, key, Ct);
            using var buffer = new MemoryStream();
            await get.ResponseStream.CopyToAsync(buffer, Ct);
            Assert.Equal(data, buffer.ToArray());
        }

        // The bytes live on the nodes' device images, not in any process.
        var images = Directory.GetFiles(topology.DataDirectory, "device.img", SearchOption.AllDirectories);
        Assert.Equal(2, images.Length);
    }
}
