using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.Authentication;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// Requests whose body is incomplete or fails verification: every one must be refused with the S3 error AWS gives, and
/// must leave the store exactly as it was (no new object, an existing object unchanged).
/// </summary>
public sealed class MalformedRequestTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1_000, 400)]
    [InlineData(100_000, 40_000)]
    [InlineData(100_000, 0)]
    public async Task PutObject_StoresNothing_WhenBodyIsShorterThanContentLength(int declared, int sent)
    {
        var bucket = await cluster.CreateBucketAsync("short");

        var (status, response) = await cluster.Wire.SendRawAsync("PUT", $"/{bucket}/k",
            [("Content-Length", declared.ToString(CultureInfo.InvariantCulture))], RandomNumberGenerator.GetBytes(sent), S3Wire.UnsignedPayload, halfClose: true);

        // The client half-closed: S3 answers 400 IncompleteBody when it still can, or the connection just ends.
        Assert.True(status is 0 or 400, $"Unexpected response: {response}");
        if (status == 400)
        {
            Assert.Contains("<Code>IncompleteBody</Code>", response, StringComparison.Ordinal);
        }

        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_KeepsExistingObject_WhenReplacementBodyIsTruncated()
    {
        var bucket = await cluster.CreateBucketAsync("shortover");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "original" }, Ct);

        await cluster.Wire.SendRawAsync("PUT", $"/{bucket}/k", [("Content-Length", "50000")], new byte[20_000], S3Wire.UnsignedPayload, halfClose: true);

        Assert.Equal("original", await ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task PutObject_ReturnsMissingContentLength_WhenBodyIsChunkedWithoutLength()
    {
        var bucket = await cluster.CreateBucketAsync("nolen");

        var (status, response) = await cluster.Wire.SendRawAsync("PUT", $"/{bucket}/k", [("Transfer-Encoding", "chunked")], "5\r\nhello\r\n0\r\n\r\n"u8.ToArray(), S3Wire.UnsignedPayload);

        Assert.Equal(411, status);
        Assert.Contains("<Code>MissingContentLength</Code>", response, StringComparison.Ordinal);
        Assert.Contains("x-amz-request-id:", response, StringComparison.OrdinalIgnoreCase);
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_ReturnsEntityTooLargeWithoutReadingBody_WhenContentLengthExceeds5GiB()
    {
        var bucket = await cluster.CreateBucketAsync("huge");

        var (status, response) = await cluster.Wire.SendRawAsync("PUT", $"/{bucket}/k", [("Content-Length", (5L * 1024 * 1024 * 1024 + 1).ToString(CultureInfo.InvariantCulture))], [], S3Wire.UnsignedPayload);

        Assert.Equal(400, status);
        Assert.Contains("<Code>EntityTooLarge</Code>", response, StringComparison.Ordinal);
        await AssertMissingAsync(bucket, "k");
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300_000)]
    public async Task PutObject_ReturnsXAmzContentSha256MismatchAndStoresNothing_WhenSignedPayloadHashIsWrong(int size)
    {
        var bucket = await cluster.CreateBucketAsync("shabad");
        var body = RandomNumberGenerator.GetBytes(size);

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: body, payloadHash: S3Wire.Sha256Hex([.. body, 0]));

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch");
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_KeepsExistingObject_WhenReplacementPayloadHashIsWrong()
    {
        var bucket = await cluster.CreateBucketAsync("shaover");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "original" }, Ct);

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: new byte[70_000], payloadHash: S3Wire.Sha256Hex([1]));

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch");
        Assert.Equal("original", await ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task PutObject_StoresBody_WhenAwsChunkedTrailingChecksumIsCorrect()
    {
        var bucket = await cluster.CreateBucketAsync("trailok");
        var data = RandomNumberGenerator.GetBytes(70_000);

        using var put = await PutChunkedAsync(bucket, data, Checksums.Base64("CRC32", data));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(Checksums.Base64("CRC32", data), S3Wire.Header(put, "x-amz-checksum-crc32"));
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/k");
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(70_000)]
    public async Task PutObject_ReturnsBadDigestAndStoresNothing_WhenAwsChunkedTrailingChecksumIsWrong(int size)
    {
        var bucket = await cluster.CreateBucketAsync("trailbad");
        var data = RandomNumberGenerator.GetBytes(size);

        using var put = await PutChunkedAsync(bucket, data, Checksums.Base64("CRC32", [.. data, 1]));

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "BadDigest");
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_ReturnsErrorAndStoresNothing_WhenDeclaredTrailerIsNotSent()
    {
        var bucket = await cluster.CreateBucketAsync("trailmissing");
        var data = RandomNumberGenerator.GetBytes(100);

        using var put = await PutChunkedAsync(bucket, data, trailer: null);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_ReturnsErrorAndStoresNothing_WhenDecodedLengthDisagreesWithChunks()
    {
        var bucket = await cluster.CreateBucketAsync("declen");
        var data = RandomNumberGenerator.GetBytes(1000);

        using var put = await PutChunkedAsync(bucket, data, Checksums.Base64("CRC32", data), decodedLength: 2000);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        await AssertMissingAsync(bucket, "k");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task PutObject_VerifiesEveryChunkSignature_WhenBodyIsSignedAwsChunked(bool tamperData, bool tamperTrailer)
    {
        var bucket = await cluster.CreateBucketAsync("sigchunk");
        var data = RandomNumberGenerator.GetBytes(150_000);
        var path = $"/{bucket}/k";
        List<(string Name, string Value)> headers =
        [
            ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", data.Length.ToString(CultureInfo.InvariantCulture)),
            ("x-amz-trailer", "x-amz-checksum-crc32"),
        ];
        const string Mode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
        var signed = cluster.Wire.SignDetailed("PUT", path, [], headers, Mode, ComIOCluster.SecretKey);
        var context = new ComIO.ApiService.Authentication.StreamingSignatureContext(signed.SigningKey, signed.Timestamp, signed.Scope, signed.Signature, hasTrailer: true);
        var body = AwsChunkedTestEncoder.Encode(data, 64 * 1024, context, ("x-amz-checksum-crc32", Checksums.Base64("CRC32", data)));
        if (tamperData)
        {
            body[Array.IndexOf(body, (byte)'\n') + 1000] ^= 0x40; // a byte inside the first chunk's data
        }

        if (tamperTrailer)
        {
            var text = Encoding.ASCII.GetString(body);
            var at = text.IndexOf("x-amz-checksum-crc32:", StringComparison.Ordinal) + "x-amz-checksum-crc32:".Length;
            body[at] = body[at] == (byte)'A' ? (byte)'B' : (byte)'A';
        }

        var (status, response) = await cluster.Wire.SendRawAsync("PUT", path,
            [.. headers, .. signed.Headers, ("Content-Length", body.Length.ToString(CultureInfo.InvariantCulture))], body, Mode, sign: false);

        if (!tamperData && !tamperTrailer)
        {
            Assert.True(status == 200, response);
            using var get = await cluster.Wire.SendAsync(HttpMethod.Get, path);
            Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
        }
        else
        {
            Assert.Equal(403, status);
            Assert.Contains("<Code>SignatureDoesNotMatch</Code>", response, StringComparison.Ordinal);
            await AssertMissingAsync(bucket, "k");
        }
    }

    private Task<HttpResponseMessage> PutChunkedAsync(string bucket, byte[] data, string? trailer, long? decodedLength = null)
    {
        var body = trailer is null
            ? AwsChunkedTestEncoder.Encode(data, 8192, null)
            : AwsChunkedTestEncoder.Encode(data, 8192, null, ("x-amz-checksum-crc32", trailer));
        return cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: body, payloadHash: "STREAMING-UNSIGNED-PAYLOAD-TRAILER", headers:
        [
            ("Content-Encoding", "aws-chunked"),
            ("x-amz-decoded-content-length", (decodedLength ?? data.Length).ToString(CultureInfo.InvariantCulture)),
            ("x-amz-trailer", "x-amz-checksum-crc32"),
        ]);
    }

    private async Task AssertMissingAsync(string bucket, string key)
    {
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/{key}");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/{key}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        return Encoding.UTF8.GetString(await get.Content.ReadAsByteArrayAsync(Ct));
    }
}
