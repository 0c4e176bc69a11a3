using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>CreateBucket, DeleteBucket, HeadBucket, ListBuckets and GetBucketLocation against a live in-process site.</summary>
public sealed class BucketTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateBucket_ReturnsLocationAndListsBucket_WhenNameIsValid()
    {
        var name = cluster.NewBucketName("create");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/" + name, S3Wire.Header(response, "Location"));
        var list = await cluster.S3.ListBucketsAsync(Ct);
        Assert.Contains(list.Buckets, b => b.BucketName == name);
    }
}
