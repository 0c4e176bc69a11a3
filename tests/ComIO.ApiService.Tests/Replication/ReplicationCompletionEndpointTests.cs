using System.Net;
using System.Net.Http.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Tests.S3.Harness;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ComIO.ApiService.Tests.Replication;

/// <summary>
/// The storage node's completion route, as the replication worker calls it: a batch of outcomes, each recorded on its
/// version (<c>x-amz-replication-status</c>) or refused on its own, one result per completion in order.
/// </summary>
public sealed class ReplicationCompletionEndpointTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> PostAsync(Uri node, HttpContent body)
    {
        using var http = new HttpClient { BaseAddress = node };
        using var request = new HttpRequestMessage(HttpMethod.Post, ReplicationCompletionBatch.Route) { Content = body };
        request.Headers.TryAddWithoutValidation(InternalApi.ClusterSecretHeader, ComIOCluster.ClusterSecret);
        return await http.SendAsync(request, Ct);
    }

    [Fact]
    public async Task ABatch_RecordsEachCompletionOnItsVersion_AndRefusesOnlyTheInvalidOnes()
    {
        var bucket = await cluster.CreateBucketAsync("complete");
        await cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        var first = (await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "one" }, Ct)).VersionId;
        var second = (await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "two" }, Ct)).VersionId;
        var owner = cluster.ApiServices.GetRequiredService<ClusterNodes>().OwnerOf(bucket, "k");

        using var response = await PostAsync(owner.BaseAddress, JsonContent.Create(new ReplicationCompletionBatch(
        [
            new(0, 1_000_001, bucket, "k", first, ReplicationCompletion.StatusFailed),
            new(7, 1_000_002, bucket, "k", second, ReplicationCompletion.StatusCompleted), // no device 7
            new(0, 1_000_003, bucket, "k", second, "DONE"),
            new(0, 1_000_004, "no-such-bucket-anywhere", "k", null, ReplicationCompletion.StatusCompleted),
            new(0, 1_000_005, bucket, "k", second, ReplicationCompletion.StatusCompleted),
        ]), ContractsJsonContext.Default.ReplicationCompletionBatch));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ReplicationCompletionResults, Ct);
        Assert.Equal([null, NodeStatus.InvalidRequest, NodeStatus.InvalidRequest, null, null], results!.Errors.Select(e => e?.Status));
        Assert.Equal(ReplicationStatus.Failed, (await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "k", VersionId = first }, Ct)).ReplicationStatus);
        Assert.Equal(ReplicationStatus.Completed, (await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "k", VersionId = second }, Ct)).ReplicationStatus);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"completions\":[]}")]
    [InlineData("{\"completions\":[null]}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public async Task ABodyThatIsNotABatch_Is400(string body)
    {
        var node = cluster.NodeAddresses[0];

        using var response = await PostAsync(node, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
