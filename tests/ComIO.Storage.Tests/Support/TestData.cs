using System.Security.Cryptography;

namespace ComIO.Storage.Tests.Support;

public static class TestData
{
    public static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    public static string Md5Hex(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));

    public static PutObjectRequest Request(string bucket, string key, long length) => new()
    {
        Bucket = bucket,
        Key = key,
        ContentLength = length,
    };

    public static async Task<PutObjectResult> PutAsync(this StorageEngine engine, string bucket, string key, byte[] data)
    {
        using var body = new MemoryStream(data);
        return await engine.PutObjectAsync(Request(bucket, key, data.Length), body, TestContext.Current.CancellationToken);
    }

    public static async Task<byte[]> ReadAllAsync(this StorageEngine engine, string bucket, string key, long offset = 0, long length = -1)
    {
        await using var result = await engine.OpenObjectAsync(bucket, key, offset, length, TestContext.Current.CancellationToken);
        Assert.Equal(EngineStatus.Ok, result.Status);
        return await ReadAllAsync(result.Content!);
    }

    public static async Task<byte[]> ReadAllAsync(Stream content)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, TestContext.Current.CancellationToken);
        return copy.ToArray();
    }
}
