using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Aspire.Hosting.Testing;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

[Collection(TopologyCollection.Name)]
public sealed class S3RoundTripTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutGetListDelete_RoundTripsBytes_ThroughAwsSdk()
    {
        using var s3 = topology.CreateClient();
        var bucket = "sdk-" + Guid.NewGuid().ToString("N")[..12];
        await s3.PutBucketAsync(bucket, Ct);
        var payloads = new Dictionary<string, byte[]>
        {
            ["small.txt"] = "hello comio"u8.ToArray(),
            ["dir/inline-edge.bin"] = RandomNumberGenerator.GetBytes(16 * 1024),
            ["dir/sub/large.bin"] = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17),
            ["odd key +%&= ü.bin"] = RandomNumberGenerator.GetBytes(70_000),
        };
        foreach (var (key, data) in payloads)
        {
            var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, Ct);
            Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", put.ETag);
        }

        foreach (var (key, data) in payloads)
        {
            using var get = await s3.GetObjectAsync(bucket, key, Ct);
            using var buffer = new MemoryStream();
            await get.ResponseStream.CopyToAsync(buffer, Ct);
            Assert.Equal(data, buffer.ToArray());
        }

        var listing = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(payloads.Keys.Order(StringComparer.Ordinal), listing.S3Objects.Select(o => o.Key));
        Assert.Equal(payloads["dir/sub/large.bin"].Length, listing.S3Objects.Single(o => o.Key == "dir/sub/large.bin").Size);

        var delimited = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" }, Ct);
        Assert.Equal(["dir/"], delimited.CommonPrefixes);
        Assert.Equal(["odd key +%&= ü.bin", "small.txt"], delimited.S3Objects.Select(o => o.Key));

        foreach (var key in payloads.Keys)
        {
            await s3.DeleteObjectAsync(bucket, key, Ct);
        }

        var empty = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Empty(empty.S3Objects ?? []);
        await s3.DeleteBucketAsync(bucket, Ct);
    }

    [Fact]
    public async Task GetObject_ReturnsNoSuchBucket404_ForUnknownBucket()
    {
        using var s3 = topology.CreateClient();
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync("no-such-bucket-" + Guid.NewGuid().ToString("N")[..8], "k", Ct));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    [Fact]
    public async Task AnyRequest_ReturnsSignatureDoesNotMatch403_WithWrongSecret()
    {
        using var s3 = topology.CreateClient(secretKey: "not-the-secret");
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListBucketsAsync(Ct));
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }

    [Fact]
    public async Task RawRequest_ReturnsS3XmlError_WithWrongSecret()
    {
        // The SDK hides the body; check the wire format a plain HTTP client sees.
        using var s3 = topology.CreateClient(secretKey: "not-the-secret");
        var url = s3.GetPreSignedURL(new GetPreSignedUrlRequest { BucketName = "any-bucket", Key = "k", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        using var http = new HttpClient();
        using var response = await http.GetAsync(url, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code>", body, StringComparison.Ordinal);
        Assert.Contains("<RequestId>", body, StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("x-amz-request-id"));
    }

    [Theory]
    [InlineData("east-api")]
    [InlineData("east-node1")]
    [InlineData("east-node2")]
    [InlineData("east-replication")]
    public async Task MetricsEndpoint_ServesPrometheusText_OnEveryService(string resource)
    {
        using var http = new HttpClient { BaseAddress = topology.App.GetEndpoint(resource, "http") };
        var text = await http.GetStringAsync("/metrics", Ct);
        Assert.Contains("# TYPE", text, StringComparison.Ordinal);
    }
}
