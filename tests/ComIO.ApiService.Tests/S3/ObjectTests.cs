using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>PutObject, GetObject, HeadObject and DeleteObject: bodies, headers, metadata, digests and checksums, limits.</summary>
public sealed class ObjectTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string PathOf(string bucket, string key) => $"/{bucket}/{S3Wire.EncodeKey(key)}";

    [Fact]
    public async Task NodePutAnswer_NamesTheWriteOnly_NotTheMetadataTagsAndAclJustSent()
    {
        var bucket = await cluster.CreateBucketAsync("lean-put");
        var settings = await cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        Assert.Equal(HttpStatusCode.OK, settings.HttpStatusCode);
        var node = cluster.ApiServices.GetRequiredService<ComIO.ApiService.Nodes.ClusterNodes>().OwnerOf(bucket, "k");
        var client = cluster.ApiServices.GetRequiredService<ComIO.ApiService.Nodes.StorageNodeClient>();
        var metadata = new ComIO.Contracts.Nodes.PutObjectMetadata
        {
            ContentType = "text/plain",
            UserMetadata = new Dictionary<string, string> { ["color"] = "blue" },
            SystemMetadata = new Dictionary<string, string> { ["x-comio-acl"] = "{}", ["cache-control"] = "no-cache" },
            Tags = [new ComIO.Contracts.Nodes.ObjectTag("team", "storage")],
            ChecksumAlgorithm = "CRC32C",
        };
        var body = "payload"u8.ToArray();

        var written = (await client.PutObjectAsync(node, bucket, "k", body.Length, metadata, new MemoryStream(body), Ct)).Value!;
        var stored = (await client.GetObjectInfoAsync(node, bucket, "k", Ct)).Value!;

        Assert.Equal("blue", stored.UserMetadata["color"]);
        Assert.Single(stored.Tags);
        Assert.Equal("{}", stored.SystemMetadata["x-comio-acl"]);
        Assert.Equal((stored.VersionId, stored.ETag, stored.Size, stored.ChecksumAlgorithm, stored.Checksum), (written.VersionId, written.ETag, written.Size, written.ChecksumAlgorithm, written.Checksum));
        Assert.InRange(written.LastModified - stored.LastModified, TimeSpan.Zero, TimeSpan.FromMilliseconds(1)); // stored at millisecond precision
        Assert.NotNull(written.Checksum);
        Assert.NotEqual("null", written.VersionId);
        Assert.Empty(written.UserMetadata);
        Assert.Empty(written.SystemMetadata);
        Assert.Empty(written.Tags);
        Assert.Null(written.ContentType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(1_000_003)]
    public async Task PutObject_RoundTripsBodyAndEtag_WhenSentBySdk(int size)
    {
        var bucket = await cluster.CreateBucketAsync("rt");
        var data = RandomNumberGenerator.GetBytes(size);

        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "obj.bin", InputStream = new MemoryStream(data) }, Ct);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "obj.bin"));

        var md5 = $"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"";
        Assert.Equal(md5, put.ETag);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(md5, S3Wire.Header(get, "ETag"));
        Assert.Equal(size, get.Content.Headers.ContentLength);
        Assert.Equal("bytes", S3Wire.Header(get, "Accept-Ranges"));
        Assert.NotNull(get.Content.Headers.LastModified);
        S3Assert.RequestId(get);
    }

    [Fact]
    public async Task PutObject_StoresAndReturnsMetadataAndSystemHeaders_WhenGiven()
    {
        var bucket = await cluster.CreateBucketAsync("meta");
        var expires = "Wed, 21 Oct 2026 07:28:00 GMT";
        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "m.txt"), body: "hello"u8.ToArray(), headers:
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Disposition", "attachment; filename=\"m.txt\""),
            ("Content-Encoding", "identity"),
            ("Content-Language", "en-GB"),
            ("Cache-Control", "max-age=60"),
            ("Expires", expires),
            ("x-amz-meta-Color", "Blue"),
            ("x-amz-meta-empty-ish", "a b  c"),
        ]);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "m.txt"));
        var sdk = await cluster.S3.GetObjectMetadataAsync(bucket, "m.txt", Ct);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", S3Wire.Header(head, "Content-Type"));
        Assert.Equal("attachment; filename=\"m.txt\"", S3Wire.Header(head, "Content-Disposition"));
        Assert.Equal("identity", S3Wire.Header(head, "Content-Encoding"));
        Assert.Equal("en-GB", S3Wire.Header(head, "Content-Language"));
        Assert.Equal("max-age=60", S3Wire.Header(head, "Cache-Control"));
        Assert.Equal(expires, S3Wire.Header(head, "Expires"));
        Assert.Equal("Blue", S3Wire.Header(head, "x-amz-meta-color"));
        Assert.Equal(5, head.Content.Headers.ContentLength);
        Assert.Equal("Blue", sdk.Metadata["x-amz-meta-color"]);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task PutObject_DefaultsContentType_WhenNoneGiven()
    {
        var bucket = await cluster.CreateBucketAsync("ctype");
        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "noct"), body: [1, 2, 3]);

        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "noct"));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("binary/octet-stream", S3Wire.Header(get, "Content-Type"));
    }

    [Fact]
    public async Task PutObject_OverwritesPreviousObject_WhenKeyExists()
    {
        var bucket = await cluster.CreateBucketAsync("over");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "first version" }, Ct);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "2nd" }, Ct);

        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "k"));

        Assert.Equal("2nd", await get.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task PutObject_Succeeds_WhenContentMd5Matches()
    {
        var bucket = await cluster.CreateBucketAsync("md5ok");
        var data = "checked body"u8.ToArray();

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: data, headers: [("Content-MD5", S3Wire.Md5Base64(data))]);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", S3Wire.Header(put, "ETag"));
    }

    [Fact]
    public async Task PutObject_ReturnsBadDigestAndStoresNothing_WhenContentMd5DoesNotMatch()
    {
        var bucket = await cluster.CreateBucketAsync("md5bad");

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "actual"u8.ToArray(), headers: [("Content-MD5", S3Wire.Md5Base64("other"u8.ToArray()))]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "BadDigest");
        await AssertMissingAsync(bucket, "k");
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("AAAA")]
    [InlineData("")]
    public async Task PutObject_ReturnsInvalidDigest_WhenContentMd5IsNotA128BitBase64Value(string md5)
    {
        var bucket = await cluster.CreateBucketAsync("md5inv");

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "x"u8.ToArray(), headers: [("Content-MD5", md5)]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "InvalidDigest");
        await AssertMissingAsync(bucket, "k");
    }

    [Theory]
    [MemberData(nameof(ChecksumAlgorithms))]
    public async Task PutObject_VerifiesStoresAndReturnsChecksum_WhenHeaderIsCorrect(string algorithm)
    {
        var bucket = await cluster.CreateBucketAsync("ck");
        var data = RandomNumberGenerator.GetBytes(40_000);
        var expected = Checksums.Base64(algorithm, data);
        var header = "x-amz-checksum-" + algorithm.ToLowerInvariant();

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: data, headers: [(header, expected)]);
        using var plain = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "k"));
        using var enabled = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "k"), headers: [("x-amz-checksum-mode", "ENABLED")]);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "k"), headers: [("x-amz-checksum-mode", "ENABLED")]);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(expected, S3Wire.Header(put, header));
        Assert.Null(S3Wire.Header(plain, header));
        Assert.Equal(expected, S3Wire.Header(enabled, header));
        Assert.Equal(expected, S3Wire.Header(head, header));
        Assert.Equal(data, await enabled.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [MemberData(nameof(ChecksumAlgorithms))]
    public async Task PutObject_ReturnsBadDigestAndStoresNothing_WhenChecksumHeaderIsWrong(string algorithm)
    {
        var bucket = await cluster.CreateBucketAsync("ckbad");
        var data = RandomNumberGenerator.GetBytes(40_000);
        var wrong = Checksums.Base64(algorithm, "something else"u8.ToArray());

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: data, headers: [("x-amz-checksum-" + algorithm.ToLowerInvariant(), wrong)]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "BadDigest");
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_ReturnsInvalidRequestAndStoresNothing_WhenTwoChecksumHeadersAreSent()
    {
        var bucket = await cluster.CreateBucketAsync("ck2");
        var data = "two"u8.ToArray();

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: data,
            headers: [("x-amz-checksum-crc32", Checksums.Base64("CRC32", data)), ("x-amz-checksum-sha256", Checksums.Base64("SHA256", data))]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "InvalidRequest");
        await AssertMissingAsync(bucket, "k");
    }

    [Theory]
    [InlineData("CRC32", "not base64!")]
    [InlineData("CRC32", "AAAAAAAA")]
    [InlineData("CRC64NVME", "AAAAAA==")]
    [InlineData("SHA256", "AAAAAA==")]
    public async Task PutObject_ReturnsInvalidRequest_WhenChecksumValueIsNotADigestOfItsAlgorithm(string algorithm, string value)
    {
        var bucket = await cluster.CreateBucketAsync("ckinv");

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: [1], headers: [("x-amz-checksum-" + algorithm.ToLowerInvariant(), value)]);

        var error = await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal($"Value for x-amz-checksum-{algorithm.ToLowerInvariant()} header is invalid.", error!.Element("Message")?.Value);
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task PutObject_ReturnsInvalidRequest_WhenSdkChecksumAlgorithmNamesAnotherAlgorithm()
    {
        var bucket = await cluster.CreateBucketAsync("cksdkalg");
        var data = "x"u8.ToArray();

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: data,
            headers: [("x-amz-sdk-checksum-algorithm", "CRC32"), ("x-amz-checksum-crc32c", Checksums.Base64("CRC32C", data))]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task PutObject_ReturnsChecksumToSdk_WhenSdkSendsTrailingChecksum()
    {
        var bucket = await cluster.CreateBucketAsync("cksdk");
        var data = RandomNumberGenerator.GetBytes(200_000);

        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(data), ChecksumAlgorithm = ChecksumAlgorithm.CRC32C }, Ct);
        var get = await cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "k", ChecksumMode = ChecksumMode.ENABLED }, Ct);
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body, Ct);

        Assert.Equal(Checksums.Base64("CRC32C", data), put.ChecksumCRC32C);
        Assert.Equal(Checksums.Base64("CRC32C", data), get.ChecksumCRC32C);
        Assert.Equal(data, body.ToArray());
    }

    [Fact]
    public async Task PutObject_DoesNotStoreAwsChunkedEncoding_WhenSdkStreamsBody()
    {
        var bucket = await cluster.CreateBucketAsync("awschunked");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "streamed" }, Ct);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "gz", ContentBody = "zipped", Headers = { ContentEncoding = "gzip" } }, Ct);

        using var plain = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "k"));
        using var gzip = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "gz"));

        Assert.Null(S3Wire.Header(plain, "Content-Encoding"));
        Assert.Equal("streamed", await plain.Content.ReadAsStringAsync(Ct));
        Assert.Equal("gzip", S3Wire.Header(gzip, "Content-Encoding"));
    }

    [Fact]
    public async Task PutObject_ReturnsMetadataTooLarge_WhenUserMetadataExceeds2KiB()
    {
        var bucket = await cluster.CreateBucketAsync("bigmeta");

        using var tooLarge = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: [1], headers: [("x-amz-meta-a", new string('v', 2048))]);
        using var atLimit = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "ok"), body: [1], headers: [("x-amz-meta-a", new string('v', 2047))]);

        await S3Assert.ErrorAsync(tooLarge, HttpStatusCode.BadRequest, "MetadataTooLarge");
        await AssertMissingAsync(bucket, "k");
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
    }

    [Fact]
    public async Task PutObject_ReturnsKeyTooLongError_WhenKeyExceeds1024Bytes()
    {
        var bucket = await cluster.CreateBucketAsync("longkey");
        var key = new string('é', 512) + "x"; // 1,025 UTF-8 bytes

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, key), body: [1]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.BadRequest, "KeyTooLongError");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("DELETE")]
    public async Task AnyObjectOperation_ReturnsKeyTooLongError_WhenKeyExceeds1024Bytes(string method)
    {
        var bucket = await cluster.CreateBucketAsync("longkey");

        using var response = await cluster.Wire.SendAsync(new HttpMethod(method), PathOf(bucket, new string('k', 1025)));

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "KeyTooLongError");
    }

    [Fact]
    public async Task CopyObject_ReturnsKeyTooLongError_WhenSourceKeyExceeds1024Bytes()
    {
        var bucket = await cluster.CreateBucketAsync("longsrc");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", $"/{bucket}/{new string('k', 1025)}")]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "KeyTooLongError");
    }

    [Fact]
    public async Task PutObject_StoresKey_WhenKeyIsExactly1024Bytes()
    {
        var bucket = await cluster.CreateBucketAsync("maxkey");
        var key = "d/" + new string('é', 510) + "xx"; // 2 + 1,020 + 2 = 1,024 UTF-8 bytes
        Assert.Equal(1024, Encoding.UTF8.GetByteCount(key));

        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "max" }, Ct);
        var list = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, key));

        Assert.Equal(key, Assert.Single(list.S3Objects).Key);
        Assert.Equal("max", await get.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task PutObject_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        var bucket = cluster.NewBucketName("nobucket");

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: [1, 2]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Fact]
    public async Task PutObject_CreatesObject_WhenIfNoneMatchStarAndKeyIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("cpnew");

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "v1"u8.ToArray(), headers: [("If-None-Match", "*")]);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Fact]
    public async Task PutObject_ReturnsPreconditionFailedAndKeepsObject_WhenIfNoneMatchStarAndKeyExists()
    {
        var bucket = await cluster.CreateBucketAsync("cpexists");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v1" }, Ct);

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "v2"u8.ToArray(), headers: [("If-None-Match", "*")]);

        var error = await S3Assert.ErrorAsync(put, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        Assert.Equal("If-None-Match", error!.Element("Condition")?.Value);
        Assert.Equal("v1", await ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task PutObject_ReplacesObject_WhenIfMatchNamesCurrentEtag()
    {
        var bucket = await cluster.CreateBucketAsync("cpmatch");
        var first = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v1" }, Ct);

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "v2"u8.ToArray(), headers: [("If-Match", first.ETag)]);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("v2", await ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task PutObject_ReturnsPreconditionFailedAndKeepsObject_WhenIfMatchNamesAnotherEtag()
    {
        var bucket = await cluster.CreateBucketAsync("cpmismatch");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v1" }, Ct);

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "v2"u8.ToArray(), headers: [("If-Match", "\"0123456789abcdef0123456789abcdef\"")]);

        var error = await S3Assert.ErrorAsync(put, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        Assert.Equal("If-Match", error!.Element("Condition")?.Value);
        Assert.Equal("v1", await ReadAsync(bucket, "k"));
    }

    [Fact]
    public async Task PutObject_LetsExactlyOneConcurrentCreatorWin_WhenAllSendIfNoneMatchStar()
    {
        var bucket = await cluster.CreateBucketAsync("cprace");
        for (var round = 0; round < 6; round++)
        {
            var key = $"race-{round}";
            var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            {
                using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, key), body: RandomNumberGenerator.GetBytes(20_000 + i), headers: [("If-None-Match", "*")]);
                return put.StatusCode;
            }));

            Assert.Equal(1, attempts.Count(s => s == HttpStatusCode.OK));
            Assert.All(attempts, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.PreconditionFailed }));
        }
    }

    [Fact]
    public async Task PutObject_ReturnsNoSuchKey_WhenIfMatchAndKeyIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("cpmissing");

        using var put = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "k"), body: "v"u8.ToArray(), headers: [("If-Match", "\"0123456789abcdef0123456789abcdef\"")]);

        await S3Assert.ErrorAsync(put, HttpStatusCode.NotFound, "NoSuchKey");
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task GetObject_ReturnsNoSuchKeyWithResource_WhenKeyIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("nokey");

        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "dir/missing key"));

        await S3Assert.ErrorAsync(get, HttpStatusCode.NotFound, "NoSuchKey", $"/{bucket}/dir/missing key");
    }

    [Fact]
    public async Task GetObject_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(cluster.NewBucketName("nob"), "k"));

        await S3Assert.ErrorAsync(get, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Fact]
    public async Task HeadObject_Returns404WithoutBody_WhenKeyIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("headmiss");

        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "missing"));

        await S3Assert.ErrorAsync(head, HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task DeleteObject_ReturnsNoContentAndRemovesObject_WhenKeyExists()
    {
        var bucket = await cluster.CreateBucketAsync("delobj");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);

        using var delete = await cluster.Wire.SendAsync(HttpMethod.Delete, PathOf(bucket, "k"));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await AssertMissingAsync(bucket, "k");
    }

    [Fact]
    public async Task DeleteObject_ReturnsNoContent_WhenKeyIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("delmiss");

        using var delete = await cluster.Wire.SendAsync(HttpMethod.Delete, PathOf(bucket, "never-existed"));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Fact]
    public async Task DeleteObject_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        using var delete = await cluster.Wire.SendAsync(HttpMethod.Delete, PathOf(cluster.NewBucketName("delnob"), "k"));

        await S3Assert.ErrorAsync(delete, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    public static TheoryData<string> ChecksumAlgorithms => [.. Checksums.Algorithms];

    private async Task AssertMissingAsync(string bucket, string key)
    {
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, key));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    private async Task<string> ReadAsync(string bucket, string key)
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, key));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        return await get.Content.ReadAsStringAsync(Ct);
    }
}
