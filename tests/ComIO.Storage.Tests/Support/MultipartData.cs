using System.Security.Cryptography;

namespace ComIO.Storage.Tests.Support;

/// <summary>Helpers for multipart uploads in tests.</summary>
public static class MultipartData
{
    public const int MiB = 1024 * 1024;

    public static async Task<string> CreateUploadAsync(this StorageEngine engine, string bucket, string key, string? contentType = null)
    {
        var result = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = bucket, Key = key, ContentType = contentType }, TestContext.Current.CancellationToken);
        Assert.Equal(EngineStatus.Ok, result.Status);
        return result.Upload!.UploadId;
    }

    public static async Task<PutPartResult> PutPartAsync(this StorageEngine engine, string bucket, string key, string uploadId, int partNumber, byte[] data)
    {
        using var body = new MemoryStream(data);
        var request = new PutPartRequest { Bucket = bucket, Key = key, UploadId = uploadId, PartNumber = partNumber, ContentLength = data.Length };
        return await engine.PutPartAsync(request, body, TestContext.Current.CancellationToken);
    }

    /// <summary>S3's multipart ETag: hex MD5 of the concatenated binary part MD5s, "-", part count.</summary>
    public static string MultipartETag(params byte[][] parts)
    {
        var digests = parts.SelectMany(MD5.HashData).ToArray();
        return $"{Convert.ToHexStringLower(MD5.HashData(digests))}-{parts.Length}";
    }

    public static long Blocks(long bytes, int blockSize = 4096) => (bytes + blockSize - 1) / blockSize * blockSize;
}
