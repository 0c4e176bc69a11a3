using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

[Collection(TopologyCollection.Name)]
public sealed class TracePropagationTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutObject_IsOneTrace_AcrossApiServiceAndStorageNode()
    {
        var bucket = "trace-" + Guid.NewGuid().ToString("N")[..10];
        var key = "traced-" + Guid.NewGuid().ToString("N");
        using (var s3 = topology.CreateClient())
        {
            await s3.PutBucketAsync(bucket, Ct);
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "trace me" }, Ct);
            await s3.DeleteObjectAsync(bucket, key, Ct);
            await s3.DeleteBucketAsync(bucket, Ct);
        }

        var apiTrace = await FindTraceIdAsync($"{TopologyFixture.Site}-api", "Request PUT", $"/{bucket}/{key}");
        // The owning node is not known here: look at both nodes' logs, in turn, until one has the line (logs arrive late
        // on a busy machine).
        string? nodeTrace = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (nodeTrace is null && DateTime.UtcNow < deadline)
        {
            foreach (var node in new[] { $"{TopologyFixture.Site}-node1", $"{TopologyFixture.Site}-node2" })
            {
                nodeTrace ??= await topology.Logs.FindTraceIdAsync(node, "PUT http://", $"/internal/v1/objects/{bucket}?key={key}", TimeSpan.Zero, Ct);
            }
        }

        Assert.NotNull(apiTrace);
        Assert.Equal(apiTrace, nodeTrace);
    }

    private Task<string?> FindTraceIdAsync(string resource, string marker1, string marker2) =>
        topology.Logs.FindTraceIdAsync(resource, marker1, marker2, TimeSpan.FromSeconds(20), Ct);
}
