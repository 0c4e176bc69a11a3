using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>Virtual-host-style addressing, presigned URLs end to end, and large objects read in ranges.</summary>
public sealed class AddressingAndPresignTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static readonly byte[] Large = RandomNumberGenerator.GetBytes((3 * 1024 * 1024) + 17);
    private static readonly SemaphoreSlim LargeLock = new(1, 1);
    private static string? _largeBucket;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VirtualHostStyle_AddressesBucketFromHost_WhenHostIsUnderBaseDomain()
    {
        var bucket = await cluster.CreateBucketAsync("vhost");
        var host = $"{bucket}.s3.localhost:{cluster.Endpoint.Port}";

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, "/dir/a%20b.txt", body: "virtual"u8.ToArray(), host: host);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, "/dir/a%20b.txt", host: host);
        using var list = await cluster.Wire.SendAsync(HttpMethod.Get, "/", [("list-type", "2")], host: host);
        using var missing = await cluster.Wire.SendAsync(HttpMethod.Get, "/nope", host: host);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("virtual", await get.Content.ReadAsStringAsync(Ct));
        var root = (await S3Wire.XmlAsync(list)).Root!;
        Assert.Equal(bucket, root.Element(S3Wire.Ns + "Name")?.Value);
        Assert.Equal("dir/a b.txt", root.Element(S3Wire.Ns + "Contents")?.Element(S3Wire.Ns + "Key")?.Value);
        await S3Assert.ErrorAsync(missing, HttpStatusCode.NotFound, "NoSuchKey", $"/{bucket}/nope");
    }

    [Fact]
    public async Task PresignedUrl_AllowsPutAndGetWithoutHeaders_WhenNotExpired()
    {
        var bucket = await cluster.CreateBucketAsync("presign");
        var data = RandomNumberGenerator.GetBytes(30_000);
        var putUrl = await cluster.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "p/ü x.bin", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        var getUrl = await cluster.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "p/ü x.bin", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using var http = new HttpClient();

        using var put = await http.PutAsync(putUrl, new ByteArrayContent(data), Ct);
        using var get = await http.GetAsync(getUrl, Ct);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task PresignedUrl_ReturnsAccessDenied_WhenExpired()
    {
        var bucket = await cluster.CreateBucketAsync("expired");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);
        // A lifetime of a few seconds: the SDK rounds (expiry - its own clock), so a one-second lifetime can round to zero
        // on a busy machine. The wait runs until well after the expiry instant.
        var expires = DateTime.UtcNow.AddSeconds(3);
        var url = await cluster.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "k", Verb = HttpVerb.GET, Expires = expires, Protocol = Amazon.S3.Protocol.HTTP });
        await Task.Delay(expires.AddSeconds(1.5) - DateTime.UtcNow, Ct);
        using var http = new HttpClient();

        using var get = await http.GetAsync(url, Ct);

        await S3Assert.ErrorAsync(get, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task PresignedUrl_ReturnsSignatureDoesNotMatch_WhenQueryIsAltered()
    {
        var bucket = await cluster.CreateBucketAsync("altered");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);
        var url = await cluster.S3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "k", Verb = HttpVerb.GET, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Amazon.S3.Protocol.HTTP });
        using var http = new HttpClient();

        using var get = await http.GetAsync(url.Replace($"/{bucket}/k?", $"/{bucket}/k?response-content-type=text%2Fhtml&", StringComparison.Ordinal), Ct);

        await S3Assert.ErrorAsync(get, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Theory]
    [InlineData(0, 3 * 1024 * 1024)]
    [InlineData(1024 * 1024 - 5, 10)]
    [InlineData(2 * 1024 * 1024 - 1, 1024 * 1024 + 2)]
    [InlineData(3 * 1024 * 1024 - 1, 1)]
    public async Task GetObject_ReturnsExactBytes_WhenRangeCrossesChunkBoundariesOfALargeObject(int offset, int length)
    {
        var bucket = await LargeObjectBucketAsync();

        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/large", headers: [("Range", $"bytes={offset}-{offset + length - 1}")]);

        Assert.Equal(HttpStatusCode.PartialContent, get.StatusCode);
        Assert.Equal(Large.AsSpan(offset, length).ToArray(), await get.Content.ReadAsByteArrayAsync(Ct));
    }

    private async Task<string> LargeObjectBucketAsync()
    {
        await LargeLock.WaitAsync(Ct);
        try
        {
            if (_largeBucket is null)
            {
                var bucket = await cluster.CreateBucketAsync("large");
                await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "large", InputStream = new MemoryStream(Large) }, Ct);
                _largeBucket = bucket;
            }

            return _largeBucket;
        }
        finally
        {
            LargeLock.Release();
        }
    }
}
