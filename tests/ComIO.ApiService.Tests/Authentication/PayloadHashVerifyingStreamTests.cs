using System.Security.Cryptography;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

public sealed class PayloadHashVerifyingStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0, 16, true)]
    [InlineData(1, 1, false)]
    [InlineData(100_000, 4096, true)]
    [InlineData(100_000, 7, false)]
    public async Task Read_MatchingHash_ReturnsAllBytesAndVerifies(int length, int readSize, bool useAsync)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        using var stream = new PayloadHashVerifyingStream(new MemoryStream(data), Convert.ToHexString(SHA256.HashData(data)));

        var read = await ReadAllAsync(stream, readSize, useAsync);

        Assert.Equal(data, read);
        Assert.True(stream.IsVerified);
    }

    [Fact]
    public async Task Read_MismatchedHash_ThrowsAtEofAndOnEveryLaterRead()
    {
        var data = new byte[1000];
        using var stream = new PayloadHashVerifyingStream(new MemoryStream(data), Convert.ToHexStringLower(SHA256.HashData([1])));

        var first = await Assert.ThrowsAsync<S3Exception>(() => ReadAllAsync(stream, 100, useAsync: true));
        var second = Assert.Throws<S3Exception>(() => stream.Read(new byte[10], 0, 10));

        Assert.Equal(S3ErrorCode.XAmzContentSHA256Mismatch, first.Error);
        Assert.Same(first, second);
        Assert.False(stream.IsVerified);
    }

    [Fact]
    public void Constructor_InvalidHex_Throws()
        => Assert.Throws<ArgumentException>(() => new PayloadHashVerifyingStream(new MemoryStream(), "xyz"));

    private static async Task<byte[]> ReadAllAsync(Stream stream, int readSize, bool useAsync)
    {
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = useAsync ? await stream.ReadAsync(buffer, Ct) : stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }
}
