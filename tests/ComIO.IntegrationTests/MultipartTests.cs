using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

[Collection(TopologyCollection.Name)]
public sealed class MultipartTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TransferUtility_UploadsAndDownloads200MiB_ByteExact()
    {
        using var s3 = topology.CreateClient();
        var bucket = "mpu-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket, Ct);
        var source = Path.Combine(Path.GetTempPath(), "comio-mpu-" + Guid.NewGuid().ToString("N"));
        var target = source + ".down";
        try
        {
            var expected = await WriteRandomFileAsync(source, 200L * 1024 * 1024);
            using var transfer = new TransferUtility(s3);
            await transfer.UploadAsync(new TransferUtilityUploadRequest
            {
                BucketName = bucket,
                Key = "big/object.bin",
                FilePath = source,
                PartSize = 16L * 1024 * 1024,
            }, Ct);

            var head = await s3.GetObjectMetadataAsync(bucket, "big/object.bin", Ct);
            Assert.Equal(200L * 1024 * 1024, head.ContentLength);
            Assert.EndsWith("-13\"", head.ETag, StringComparison.Ordinal);

            await transfer.DownloadAsync(new TransferUtilityDownloadRequest { BucketName = bucket, Key = "big/object.bin", FilePath = target }, Ct);
            Assert.Equal(expected, await HashFileAsync(target));

            using var ranged = await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = "big/object.bin",
                ByteRange = new ByteRange(16L * 1024 * 1024 - 10, 16L * 1024 * 1024 + 9), // across the first part boundary
            }, Ct);
            using var buffer = new MemoryStream();
            await ranged.ResponseStream.CopyToAsync(buffer, Ct);
            var local = new byte[20];
            await using (var file = File.OpenRead(source))
            {
                file.Position = 16L * 1024 * 1024 - 10;
                await file.ReadExactlyAsync(local, Ct);
            }

            Assert.Equal(local, buffer.ToArray());
            await s3.DeleteObjectAsync(bucket, "big/object.bin", Ct);
            await s3.DeleteBucketAsync(bucket, Ct);
        }
        finally
        {
            File.Delete(source);
            File.Delete(target);
        }
    }

    [Fact]
    public async Task MultipartApi_ChecksPartsAndAborts_AsS3Does()
    {
        using var s3 = topology.CreateClient();
        var bucket = "mpapi-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket, Ct);
        var part1 = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var part2 = RandomNumberGenerator.GetBytes(1234);
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "doc.bin", ContentType = "text/x-test" }, Ct);
        var etag1 = (await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "doc.bin", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) }, Ct)).ETag;
        var etag2 = (await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "doc.bin", UploadId = upload.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) }, Ct)).ETag;

        var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "doc.bin", UploadId = upload.UploadId }, Ct);
        Assert.Equal([1, 2], parts.Parts.Select(p => p.PartNumber ?? 0));
        Assert.Equal([part1.Length, part2.Length], parts.Parts.Select(p => p.Size ?? 0));

        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }, Ct);
        Assert.Contains(uploads.MultipartUploads, u => u.UploadId == upload.UploadId && u.Key == "doc.bin");

        // (InvalidPartOrder cannot be provoked through the SDK: it sorts the part list; the service tests send raw XML.)
        var wrongTag = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "doc.bin",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, etag2), new PartETag(2, etag2)],
        }, Ct));
        Assert.Equal("InvalidPart", wrongTag.ErrorCode);

        var completed = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "doc.bin",
            UploadId = upload.UploadId,
            PartETags = [new PartETag(1, etag1), new PartETag(2, etag2)],
        }, Ct);
        var md5s = MD5.HashData([.. MD5.HashData(part1), .. MD5.HashData(part2)]);
        Assert.Equal($"\"{Convert.ToHexStringLower(md5s)}-2\"", completed.ETag);

        using (var get = await s3.GetObjectAsync(bucket, "doc.bin", Ct))
        {
            using var buffer = new MemoryStream();
            await get.ResponseStream.CopyToAsync(buffer, Ct);
            Assert.Equal([.. part1, .. part2], buffer.ToArray());
            Assert.Equal("text/x-test", get.Headers.ContentType);
        }

        using (var second = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.bin", PartNumber = 2 }, Ct))
        {
            using var buffer = new MemoryStream();
            await second.ResponseStream.CopyToAsync(buffer, Ct);
            Assert.Equal(part2, buffer.ToArray());
            Assert.Equal(2, second.PartsCount);
            Assert.Equal(HttpStatusCode.PartialContent, second.HttpStatusCode);
        }

        var firstHead = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = "doc.bin", PartNumber = 1 }, Ct);
        Assert.Equal(part1.Length, firstHead.ContentLength);
        var noPart = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc.bin", PartNumber = 3 }, Ct));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, noPart.StatusCode);

        var small = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "small.bin" }, Ct);
        var s1 = (await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "small.bin", UploadId = small.UploadId, PartNumber = 1, InputStream = new MemoryStream(part2) }, Ct)).ETag;
        var s2 = (await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "small.bin", UploadId = small.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) }, Ct)).ETag;
        var tooSmall = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "small.bin",
            UploadId = small.UploadId,
            PartETags = [new PartETag(1, s1), new PartETag(2, s2)],
        }, Ct));
        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);

        await s3.AbortMultipartUploadAsync(bucket, "small.bin", small.UploadId, Ct);
        var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = "small.bin", UploadId = small.UploadId }, Ct));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal("NoSuchUpload", gone.ErrorCode);

        await s3.DeleteObjectAsync(bucket, "doc.bin", Ct);
        await s3.DeleteBucketAsync(bucket, Ct);
    }

    [Fact]
    public async Task PresignedUrls_WorkWithPlainHttpClient_AndExpire()
    {
        using var s3 = topology.CreateClient();
        var bucket = "presign-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket, Ct);
        using var http = new HttpClient();
        var putUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "p.txt", Verb = HttpVerb.PUT, Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        using (var put = await http.PutAsync(putUrl, new StringContent("presigned body"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var getUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "p.txt", Expires = DateTime.UtcNow.AddMinutes(5), Protocol = Protocol.HTTP });
        Assert.Equal("presigned body", await http.GetStringAsync(getUrl, Ct));

        var expiredUrl = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest { BucketName = bucket, Key = "p.txt", Expires = DateTime.UtcNow.AddSeconds(1), Protocol = Protocol.HTTP });
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);
        using (var expired = await http.GetAsync(expiredUrl, Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
            Assert.Contains("<Code>AccessDenied</Code>", await expired.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await s3.DeleteObjectAsync(bucket, "p.txt", Ct);
        await s3.DeleteBucketAsync(bucket, Ct);
    }

    private static async Task<byte[]> WriteRandomFileAsync(string path, long size)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        await using var file = File.Create(path);
        var block = new byte[1024 * 1024];
        for (long written = 0; written < size; written += block.Length)
        {
            RandomNumberGenerator.Fill(block);
            md5.AppendData(block);
            await file.WriteAsync(block, Ct);
        }

        return md5.GetHashAndReset();
    }

    private static async Task<byte[]> HashFileAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return await MD5.HashDataAsync(file, Ct);
    }
}
