using System.Net;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Encryption;

/// <summary>Server-side encryption through AWSSDK.S3 and raw requests: SSE-S3, SSE-C, bucket default encryption, copy, multipart, ranges.</summary>
public sealed class EncryptionTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Pattern = Encoding.ASCII.GetBytes("SSE-PLAINTEXT-MARKER-7f3a9c-");

    private static byte[] PatternData(int length, string salt)
    {
        var unit = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Pattern) + salt + "|");
        var data = new byte[length];
        for (var i = 0; i < length; i++)
        {
            data[i] = unit[i % unit.Length];
        }

        return data;
    }

    private static byte[] RandomData(int length) => RandomNumberGenerator.GetBytes(length);

    private static string Md5Hex(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    private static string PathOf(string bucket, string key) => $"/{bucket}/{S3Wire.EncodeKey(key)}";

    private static (string Key, string Md5) NewCustomerKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        return (Convert.ToBase64String(key), Convert.ToBase64String(MD5.HashData(key)));
    }

    /// <param name="prefix">"" for the object's key, <c>x-amz-copy-source-</c> for a copy source's key.</param>
    private static (string, string)[] SseCHeaders((string Key, string Md5) key, string prefix = "x-amz-") =>
    [
        ($"{prefix}server-side-encryption-customer-algorithm", "AES256"),
        ($"{prefix}server-side-encryption-customer-key", key.Key),
        ($"{prefix}server-side-encryption-customer-key-MD5", key.Md5),
    ];

    private async Task<byte[]> GetBytesAsync(GetObjectRequest request)
    {
        using var response = await cluster.S3.GetObjectAsync(request, Ct);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    [Fact]
    public async Task SseS3_PutGetHeadRange_RoundTripWithHeadersAndPlaintextMd5ETag()
    {
        var bucket = await cluster.CreateBucketAsync("sses3");
        foreach (var size in new[] { 10, 20_000, 1_000_003 })
        {
            var data = RandomData(size);
            var key = $"obj-{size}";
            var put = await cluster.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = new MemoryStream(data),
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            }, Ct);
            Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
            Assert.Equal($"\"{Md5Hex(data)}\"", put.ETag);

            using (var get = await cluster.S3.GetObjectAsync(bucket, key, Ct))
            {
                Assert.Equal(ServerSideEncryptionMethod.AES256, get.ServerSideEncryptionMethod);
                Assert.Equal(size, get.ContentLength);
                using var copy = new MemoryStream();
                await get.ResponseStream.CopyToAsync(copy, Ct);
                Assert.Equal(data, copy.ToArray());
            }

            var head = await cluster.S3.GetObjectMetadataAsync(bucket, key, Ct);
            Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
            Assert.Equal(size, head.ContentLength);

            var first = size / 3;
            var last = Math.Min(size - 1, first + 70_000);
            var range = await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(first, last) });
            Assert.Equal(data.AsSpan(first, last - first + 1).ToArray(), range);
        }

        var listing = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal([10L, 1_000_003L, 20_000L], listing.S3Objects.Select(static o => o.Size ?? -1).ToArray());
    }

    [Fact]
    public async Task SseS3_DeviceImagesHoldNoPlaintext_ButHoldTheControlObjects()
    {
        var bucket = await cluster.CreateBucketAsync("ssegrep");
        var salt = Guid.NewGuid().ToString("N");
        var marker = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Pattern) + salt + "|");
        foreach (var size in new[] { 3_000, 300_000 })
        {
            await cluster.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = $"secret-{size}",
                InputStream = new MemoryStream(PatternData(size, salt)),
                ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
            }, Ct);
        }

        // 3,000 bytes are stored inline in the node's metadata (RocksDB), 300,000 on the device image.
        Assert.False(AnyNodeFileContains(marker), "plaintext of an encrypted object reached a device image or metadata file");

        foreach (var size in new[] { 3_000, 300_000 })
        {
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"clear-{size}", InputStream = new MemoryStream(PatternData(size, salt)) }, Ct);
        }

        Assert.True(DeviceContains(marker), "the control object's plaintext must be on a device image (the check works)");
        Assert.Equal(PatternData(300_000, salt), await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "secret-300000" }));
    }

    private bool DeviceContains(byte[] marker) =>
        Enumerable.Range(0, ComIOCluster.NodeCount).Any(i => Grep(cluster.DevicePath(i), marker, recursive: false));

    private bool AnyNodeFileContains(byte[] marker) =>
        Enumerable.Range(0, ComIOCluster.NodeCount).Any(i => Grep(Path.GetDirectoryName(cluster.DevicePath(i))!, marker, recursive: true));

    /// <summary>Runs <c>grep -qaF</c> over a device image (or a node's whole folder): the engine's flock does not stop it.</summary>
    private static bool Grep(string path, byte[] marker, bool recursive)
    {
        var start = new System.Diagnostics.ProcessStartInfo("grep") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(recursive ? "-rqaF" : "-qaF");
        start.ArgumentList.Add("--");
        start.ArgumentList.Add(Encoding.ASCII.GetString(marker));
        start.ArgumentList.Add(path);
        using var grep = System.Diagnostics.Process.Start(start)!;
        grep.WaitForExit();
        return grep.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new InvalidOperationException($"grep failed: {grep.StandardError.ReadToEnd()}"),
        };
    }

    [Fact]
    public async Task SseS3_Multipart_EncryptsPartsAndReportsHeaders()
    {
        var bucket = await cluster.CreateBucketAsync("ssemp");
        var init = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "mp",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, init.ServerSideEncryptionMethod);
        var part1 = RandomData(5 * 1024 * 1024);
        var part2 = RandomData(123_457);
        var etags = new List<PartETag>();
        foreach (var (number, data) in new[] { (1, part1), (2, part2) })
        {
            var part = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = number, InputStream = new MemoryStream(data) }, Ct);
            Assert.Equal(ServerSideEncryptionMethod.AES256, part.ServerSideEncryptionMethod);
            etags.Add(new PartETag(number, part.ETag));
        }

        var done = await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartETags = etags }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, done.ServerSideEncryptionMethod);
        var all = part1.Concat(part2).ToArray();
        Assert.Equal(all, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "mp" }));
        var start = part1.Length - 10;
        Assert.Equal(all.AsSpan(start, 1000).ToArray(), await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "mp", ByteRange = new ByteRange(start, start + 999) }));
        Assert.Equal(part2, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "mp", PartNumber = 2 }));
    }

    [Fact]
    public async Task BucketEncryption_PutGetDelete_AndNewObjectsFollowTheDefault()
    {
        var bucket = await cluster.CreateBucketAsync("ssedef");
        using (var missing = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("encryption", "")]))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("<Code>ServerSideEncryptionConfigurationNotFoundError</Code>", await missing.Content.ReadAsStringAsync(Ct));
        }

        await cluster.S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AES256 } }],
            },
        }, Ct);
        var got = await cluster.S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = bucket }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, got.ServerSideEncryptionConfiguration.ServerSideEncryptionRules[0].ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);

        var data = RandomData(100_000);
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "defaulted", InputStream = new MemoryStream(data) }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        var head = await cluster.S3.GetObjectMetadataAsync(bucket, "defaulted", Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
        Assert.Equal(data, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "defaulted" }));

        await cluster.S3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = bucket }, Ct);
        using (var gone = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}", query: [("encryption", "")]))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("<Code>ServerSideEncryptionConfigurationNotFoundError</Code>", await gone.Content.ReadAsStringAsync(Ct));
        }

        var clear = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "clear", InputStream = new MemoryStream(data) }, Ct);
        Assert.True(clear.ServerSideEncryptionMethod is null || clear.ServerSideEncryptionMethod == ServerSideEncryptionMethod.None);
        // The object written under the default stays encrypted and readable.
        Assert.Equal(data, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "defaulted" }));
    }

    [Fact]
    public async Task SseC_RequiresTheRightKey_ForGetHeadAndRange()
    {
        var bucket = await cluster.CreateBucketAsync("ssec");
        var key = NewCustomerKey();
        var data = RandomData(150_000);
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "c",
            InputStream = new MemoryStream(data),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key.Key,
            ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
        }, Ct);
        Assert.Equal(ServerSideEncryptionCustomerMethod.AES256, put.ServerSideEncryptionCustomerMethod);
        Assert.NotEqual($"\"{Md5Hex(data)}\"", put.ETag);

        using (var noKey = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "c")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
            Assert.Contains("<Code>InvalidRequest</Code>", await noKey.Content.ReadAsStringAsync(Ct));
        }

        using (var noKeyHead = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "c")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noKeyHead.StatusCode);
        }

        var wrong = NewCustomerKey();
        using (var wrongKey = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "c"), headers: SseCHeaders(wrong)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
            Assert.Contains("<Code>AccessDenied</Code>", await wrongKey.Content.ReadAsStringAsync(Ct));
        }

        using (var badMd5 = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "c"), headers: SseCHeaders((key.Key, wrong.Md5))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badMd5.StatusCode);
            Assert.Contains("<Code>InvalidArgument</Code>", await badMd5.Content.ReadAsStringAsync(Ct));
        }

        var got = await GetBytesAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "c",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key.Key,
            ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
        });
        Assert.Equal(data, got);
        var range = await GetBytesAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "c",
            ByteRange = new ByteRange(70_000, 140_000),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key.Key,
            ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
        });
        Assert.Equal(data.AsSpan(70_000, 70_001).ToArray(), range);
        var head = await cluster.S3.GetObjectMetadataAsync(new GetObjectMetadataRequest
        {
            BucketName = bucket,
            Key = "c",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key.Key,
            ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
        }, Ct);
        Assert.Equal(ServerSideEncryptionCustomerMethod.AES256, head.ServerSideEncryptionCustomerMethod);
        Assert.Equal(key.Md5, head.ServerSideEncryptionCustomerProvidedKeyMD5);

        // SSE-C headers on an object stored in the clear are refused, as AWS does.
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "plain", ContentBody = "x" }, Ct);
        using var notApplicable = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "plain"), headers: SseCHeaders(key));
        Assert.Equal(HttpStatusCode.BadRequest, notApplicable.StatusCode);
    }

    [Fact]
    public async Task SseC_Multipart_RequiresTheKeyOnEveryPart()
    {
        var bucket = await cluster.CreateBucketAsync("ssecmp");
        var key = NewCustomerKey();
        var init = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "mp",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key.Key,
            ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
        }, Ct);
        var part1 = RandomData(5 * 1024 * 1024);
        var part2 = RandomData(1000);
        var missing = await Assert.ThrowsAsync<AmazonS3Exception>(() => cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part2) }, Ct));
        Assert.Equal("InvalidRequest", missing.ErrorCode);

        var etags = new List<PartETag>();
        foreach (var (number, data) in new[] { (1, part1), (2, part2) })
        {
            var part = await cluster.S3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = "mp",
                UploadId = init.UploadId,
                PartNumber = number,
                InputStream = new MemoryStream(data),
                ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
                ServerSideEncryptionCustomerProvidedKey = key.Key,
                ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
            }, Ct);
            etags.Add(new PartETag(number, part.ETag));
        }

        await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartETags = etags }, Ct);
        Assert.Equal(part1.Concat(part2).ToArray(), await GetBytesAsync(new GetObjectRequest
        {
            BucketName = bucket,
            Key = "mp",
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = key.Key,
            ServerSideEncryptionCustomerProvidedKeyMD5 = key.Md5,
        }));
    }

    [Fact]
    public async Task CopyObject_ReEncryptsBetweenModes()
    {
        var bucket = await cluster.CreateBucketAsync("ssecopy");
        var data = RandomData(200_000);
        var customer = NewCustomerKey();
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "clear", InputStream = new MemoryStream(data) }, Ct);

        // clear -> SSE-S3
        var toS3 = await cluster.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "clear", DestinationBucket = bucket, DestinationKey = "s3", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, toS3.ServerSideEncryptionMethod);

        // SSE-S3 -> SSE-C
        using (var toC = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "c"), headers: [("x-amz-copy-source", PathOf(bucket, "s3")), .. SseCHeaders(customer)]))
        {
            Assert.Equal(HttpStatusCode.OK, toC.StatusCode);
            Assert.Equal("AES256", S3Wire.Header(toC, "x-amz-server-side-encryption-customer-algorithm"));
        }

        // SSE-C -> SSE-C under another key (copy-source key headers), and a missing source key is refused
        var other = NewCustomerKey();
        using (var noSourceKey = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "c2"), headers: [("x-amz-copy-source", PathOf(bucket, "c")), .. SseCHeaders(other)]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noSourceKey.StatusCode);
        }

        using (var toC2 = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "c2"), headers: [("x-amz-copy-source", PathOf(bucket, "c")), .. SseCHeaders(customer, "x-amz-copy-source-"), .. SseCHeaders(other)]))
        {
            Assert.Equal(HttpStatusCode.OK, toC2.StatusCode);
        }

        // SSE-C -> clear
        using (var toClear = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "back"), headers: [("x-amz-copy-source", PathOf(bucket, "c2")), .. SseCHeaders(other, "x-amz-copy-source-")]))
        {
            Assert.Equal(HttpStatusCode.OK, toClear.StatusCode);
            Assert.Null(S3Wire.Header(toClear, "x-amz-server-side-encryption"));
        }

        using var back = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "back"));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Null(S3Wire.Header(back, "x-amz-server-side-encryption"));
        Assert.Equal(data, await back.Content.ReadAsByteArrayAsync(Ct));
        using var c2 = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "c2"), headers: SseCHeaders(other));
        Assert.Equal(data, await c2.Content.ReadAsByteArrayAsync(Ct));

        // Copying an encrypted object onto itself with new encryption is allowed (it changes the encryption).
        var self = await cluster.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "s3", DestinationBucket = bucket, DestinationKey = "s3", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, self.ServerSideEncryptionMethod);
        Assert.Equal(data, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "s3" }));
    }

    [Fact]
    public async Task UploadPartCopy_FromEncryptedSource_IntoEncryptedUpload()
    {
        var bucket = await cluster.CreateBucketAsync("ssepc");
        var data = RandomData(6 * 1024 * 1024);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "src", InputStream = new MemoryStream(data), ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
        var init = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "dst", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
        var p1 = await cluster.S3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "dst", UploadId = init.UploadId, PartNumber = 1, FirstByte = 0, LastByte = (5 * 1024 * 1024) - 1 }, Ct);
        var p2 = await cluster.S3.CopyPartAsync(new CopyPartRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "dst", UploadId = init.UploadId, PartNumber = 2, FirstByte = 5 * 1024 * 1024, LastByte = data.Length - 1 }, Ct);
        await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "dst", UploadId = init.UploadId, PartETags = [new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)] }, Ct);
        Assert.Equal(data, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "dst" }));
    }

    [Fact]
    public async Task Get_ServesTheCurrentVersion_WhenAnEncryptedObjectIsOverwritten()
    {
        // Repeated GETs reuse a cached data key; the node's wrapped-key check must catch every overwrite.
        var bucket = await cluster.CreateBucketAsync("sseover");
        var customer = NewCustomerKey();
        for (var i = 0; i < 3; i++)
        {
            var first = RandomData(70_000 + i);
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(first), ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
            Assert.Equal(first, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "k" }));
            Assert.Equal(first, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "k" }));
            var second = RandomData(90_000 + i);
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(second), ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
            Assert.Equal(second, await GetBytesAsync(new GetObjectRequest { BucketName = bucket, Key = "k" }));
            var clear = RandomData(1000 + i);
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", InputStream = new MemoryStream(clear) }, Ct);
            using (var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "k")))
            {
                Assert.Null(S3Wire.Header(get, "x-amz-server-side-encryption"));
                Assert.Equal(clear, await get.Content.ReadAsByteArrayAsync(Ct));
            }

            await cluster.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = "k",
                InputStream = new MemoryStream(first),
                ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
                ServerSideEncryptionCustomerProvidedKey = customer.Key,
                ServerSideEncryptionCustomerProvidedKeyMD5 = customer.Md5,
            }, Ct);
            using var noKey = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "k"));
            Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        }
    }

    [Fact]
    public async Task DsseAndUnknownAlgorithms_AreRefused_NeverStoredInTheClear()
    {
        var bucket = await cluster.CreateBucketAsync("ssebad");
        using var dsse = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "d"), body: [1, 2, 3], headers: [("x-amz-server-side-encryption", "aws:kms:dsse")]);
        Assert.Equal(HttpStatusCode.NotImplemented, dsse.StatusCode);
        using var bogus = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "b"), body: [1, 2, 3], headers: [("x-amz-server-side-encryption", "ROT13")]);
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        var unknownKms = await Assert.ThrowsAsync<AmazonS3Exception>(() => cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "k",
            ContentBody = "x",
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = "no-such-key-" + Guid.NewGuid().ToString("N")[..8],
        }, Ct));
        Assert.Equal("KMS.NotFoundException", unknownKms.ErrorCode);
        var none = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Empty(none.S3Objects ?? []);
    }
}
