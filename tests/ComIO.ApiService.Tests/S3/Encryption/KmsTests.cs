using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Encryption.Kms;
using ComIO.ApiService.Tests.Access;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Encryption;

/// <summary>SSE-KMS with the local key service: admin API keys, rotation, default bucket key, multipart, copy, ranges.</summary>
public sealed class KmsTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    private async Task<KmsKeyView> CreateKeyAsync(string name)
    {
        using var response = await Admin.SendAsync(HttpMethod.Post, "/kms/keys", JsonSerializer.Serialize(new CreateKmsKeyRequest(name), KmsJsonContext.Default.CreateKmsKeyRequest));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), KmsJsonContext.Default.KmsKeyView)!;
    }

    private async Task<byte[]> GetBytesAsync(string bucket, string key, ByteRange? range = null)
    {
        using var response = await cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = range }, Ct);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    [Fact]
    public async Task SseKms_NamedKey_PutGetHeadRange_AndRotationKeepsOldObjectsReadable()
    {
        var name = "app-" + Guid.NewGuid().ToString("N")[..8];
        var created = await CreateKeyAsync(name);
        Assert.Equal(1, created.CurrentVersion);
        Assert.EndsWith($":key/{name}", created.Arn, StringComparison.Ordinal);
        var bucket = await cluster.CreateBucketAsync("kms");
        var before = RandomNumberGenerator.GetBytes(300_000);
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "before",
            InputStream = new MemoryStream(before),
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = created.Arn,
        }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, put.ServerSideEncryptionMethod);
        Assert.Equal(created.Arn, put.ServerSideEncryptionKeyManagementServiceKeyId);
        Assert.NotEqual($"\"{Convert.ToHexStringLower(MD5.HashData(before))}\"", put.ETag); // not the MD5, as AWS

        using (var rotate = await Admin.SendAsync(HttpMethod.Post, $"/kms/keys/{name}/rotate"))
        {
            Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
            var rotated = JsonSerializer.Deserialize(await rotate.Content.ReadAsStringAsync(Ct), KmsJsonContext.Default.KmsKeyView)!;
            Assert.Equal(2, rotated.CurrentVersion);
            Assert.Equal([1, 2], rotated.Versions);
        }

        var after = RandomNumberGenerator.GetBytes(20_000);
        await cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "after",
            InputStream = new MemoryStream(after),
            ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
            ServerSideEncryptionKeyManagementServiceKeyId = $"alias/{name}",
        }, Ct);

        Assert.Equal(before, await GetBytesAsync(bucket, "before"));
        Assert.Equal(after, await GetBytesAsync(bucket, "after"));
        Assert.Equal(before.AsSpan(1000, 100_000).ToArray(), await GetBytesAsync(bucket, "before", new ByteRange(1000, 100_999)));
        var head = await cluster.S3.GetObjectMetadataAsync(bucket, "before", Ct);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, head.ServerSideEncryptionMethod);
        Assert.Equal(created.Arn, head.ServerSideEncryptionKeyManagementServiceKeyId);

        using var list = await Admin.SendAsync(HttpMethod.Get, "/kms/keys");
        Assert.Contains(name, await list.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var duplicate = await Admin.SendAsync(HttpMethod.Post, "/kms/keys", JsonSerializer.Serialize(new CreateKmsKeyRequest(name), KmsJsonContext.Default.CreateKmsKeyRequest));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task SseKms_DefaultKey_BucketDefault_Multipart_AndCopy()
    {
        var bucket = await cluster.CreateBucketAsync("kmsdef");
        await cluster.S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = bucket,
            ServerSideEncryptionConfiguration = new ServerSideEncryptionConfiguration
            {
                ServerSideEncryptionRules = [new ServerSideEncryptionRule { ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = ServerSideEncryptionMethod.AWSKMS } }],
            },
        }, Ct);
        var data = RandomNumberGenerator.GetBytes(50_000);
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "d", InputStream = new MemoryStream(data) }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, put.ServerSideEncryptionMethod);
        Assert.EndsWith(":key/default", put.ServerSideEncryptionKeyManagementServiceKeyId, StringComparison.Ordinal);
        Assert.Equal(data, await GetBytesAsync(bucket, "d"));

        var init = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mp" }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AWSKMS, init.ServerSideEncryptionMethod);
        var part1 = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var part2 = RandomNumberGenerator.GetBytes(1234);
        var e1 = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) }, Ct);
        var e2 = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) }, Ct);
        await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartETags = [new PartETag(1, e1.ETag), new PartETag(2, e2.ETag)] }, Ct);
        Assert.Equal(part1.Concat(part2).ToArray(), await GetBytesAsync(bucket, "mp"));

        // KMS -> SSE-S3 and back to clear in another bucket.
        var other = await cluster.CreateBucketAsync("kmscopy");
        var toS3 = await cluster.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "mp", DestinationBucket = other, DestinationKey = "s3", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
        Assert.Equal(ServerSideEncryptionMethod.AES256, toS3.ServerSideEncryptionMethod);
        await cluster.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = other, SourceKey = "s3", DestinationBucket = other, DestinationKey = "clear" }, Ct);
        var head = await cluster.S3.GetObjectMetadataAsync(other, "clear", Ct);
        Assert.True(head.ServerSideEncryptionMethod is null || head.ServerSideEncryptionMethod == ServerSideEncryptionMethod.None);
        Assert.Equal(part1.Concat(part2).ToArray(), await GetBytesAsync(other, "clear"));
    }
}
