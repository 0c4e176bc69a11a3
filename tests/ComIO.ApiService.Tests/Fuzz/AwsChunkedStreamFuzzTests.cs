using System.Text;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Tests.Authentication;
using Xunit;

namespace ComIO.ApiService.Tests.Fuzz;

/// <summary>
/// Hostile aws-chunked bodies: mutated framing (sizes, CRLFs, signatures, trailers), random bytes and absurd chunk
/// sizes. The decoder may only fail with <see cref="S3Exception"/> (400-class), must never hand out bytes that were not
/// signed as the whole body, and must never allocate in proportion to what a chunk header claims.
/// </summary>
public sealed class AwsChunkedStreamFuzzTests
{
    private static readonly string[] Tokens =
    [
        "\r\n", "\r", "\n", ";", ";chunk-signature=", "chunk-signature=", "0\r\n", "0\r\n\r\n", "ffffffffffffffff", "10000000000000", "7fffffffffffffff",
        "-1", " ", "x-amz-checksum-crc32:", "x-amz-trailer-signature:", ":", "\t", "\0", new string('a', 64), new string('f', 17), "g", "\r\n\r\n",
    ];

    [Fact]
    public async Task Read_MutatedSignedBody_ThrowsS3ExceptionOrReturnsExactlySignedData()
    {
        var run = FuzzRun.Start(nameof(Read_MutatedSignedBody_ThrowsS3ExceptionOrReturnsExactlySignedData));
        var iterations = 5000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var hasTrailer = run.Random.Next(2) == 0;
            var signing = AwsChunkedTestEncoder.Context(hasTrailer);
            var data = RandomData(run.Random);
            var seed = hasTrailer
                ? AwsChunkedTestEncoder.Encode(data, 1 + run.Random.Next(200), signing, ("x-amz-checksum-crc32", "AAAAAA=="))
                : AwsChunkedTestEncoder.Encode(data, 1 + run.Random.Next(200), signing);
            var body = Mutator.Mutate(run.Random, seed, Tokens);
            await run.CheckAsync(FuzzRun.Preview(body), async () =>
            {
                var (decoded, trailers) = await DecodeWithTrailersAsync(body, signing, data.Length, run.Random.Next(1, 9000));
                if (!decoded.AsSpan().SequenceEqual(data))
                {
                    run.Fail(FuzzRun.Preview(body) + " decoded to bytes that were not signed");
                }

                var expectedTrailers = hasTrailer ? 1 : 0;
                if (trailers.Count != expectedTrailers || (hasTrailer && trailers.GetValueOrDefault("x-amz-checksum-crc32") != "AAAAAA=="))
                {
                    run.Fail(FuzzRun.Preview(body) + " decoded with trailers that were not signed: " + string.Join(",", trailers));
                }
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    [Fact]
    public async Task Read_MutatedUnsignedBody_ThrowsS3ExceptionOrReturnsDeclaredLength()
    {
        var run = FuzzRun.Start(nameof(Read_MutatedUnsignedBody_ThrowsS3ExceptionOrReturnsDeclaredLength));
        var iterations = 5000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var data = RandomData(run.Random);
            var seed = AwsChunkedTestEncoder.Encode(data, 1 + run.Random.Next(200), signing: null, ("x-amz-checksum-crc32", "AAAAAA=="));
            var body = Mutator.Mutate(run.Random, seed, Tokens);
            var declared = run.Random.Next(4) == 0 ? run.Random.NextInt64(long.MaxValue) : data.Length;
            await run.CheckAsync(FuzzRun.Preview(body), async () =>
            {
                var decoded = await DecodeAsync(body, null, declared, run.Random.Next(1, 9000));
                if (decoded.Length != declared)
                {
                    run.Fail($"{FuzzRun.Preview(body)} decoded {decoded.Length} bytes, declared {declared}");
                }
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    [Fact]
    public async Task Read_RandomBytes_ThrowsS3ExceptionOrDecodes()
    {
        var run = FuzzRun.Start(nameof(Read_RandomBytes_ThrowsS3ExceptionOrDecodes));
        var iterations = 5000 * FuzzRun.Scale;
        for (var i = 0; i < iterations; i++)
        {
            var body = Mutator.RandomBytes(run.Random, 600, Tokens);
            var signed = run.Random.Next(2) == 0;
            var declared = run.Random.Next(3) == 0 ? long.MaxValue : run.Random.Next(1000);
            await run.CheckAsync(FuzzRun.Preview(body), async () =>
            {
                var decoded = await DecodeAsync(body, signed ? AwsChunkedTestEncoder.Context(run.Random.Next(2) == 0) : null, declared, 4096);
                if (signed || decoded.Length != declared)
                {
                    run.Fail($"{FuzzRun.Preview(body)} was accepted (signed: {signed}, {decoded.Length} of {declared} bytes)");
                }
            }, FuzzRun.IsCleanRejection);
        }

        run.Report();
    }

    [Fact]
    public async Task Read_EveryPrefixOfSignedBodyWithTrailer_ThrowsIncompleteBodyOrInvalidRequest()
    {
        var run = FuzzRun.Start(nameof(Read_EveryPrefixOfSignedBodyWithTrailer_ThrowsIncompleteBodyOrInvalidRequest));
        var signing = AwsChunkedTestEncoder.Context(hasTrailer: true);
        var data = Encoding.ASCII.GetBytes(new string('x', 300));
        var body = AwsChunkedTestEncoder.Encode(data, 128, signing, ("x-amz-checksum-crc32", "AAAAAA=="));
        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body[..length];
            await run.CheckAsync(FuzzRun.Preview(prefix), async () =>
            {
                await DecodeAsync(prefix, signing, data.Length, 7);
                run.Fail(FuzzRun.Preview(prefix) + " (a strict prefix) was accepted");
            }, e => e is S3Exception s && (s.Error == S3ErrorCode.IncompleteBody || s.Error == S3ErrorCode.InvalidRequest || s.Error == S3ErrorCode.SignatureDoesNotMatch));
        }

        Assert.Equal(data, await DecodeAsync(body, signing, data.Length, 7));
        run.Report();
    }

    [Theory]
    [InlineData("1000000000000000")]
    [InlineData("0fffffffffffffff")]
    [InlineData("7fffffffffffffff")]
    public async Task Read_ChunkClaiming2Pow60Bytes_AllocatesLittleAndThrowsIncompleteBody(string size)
    {
        // The declared decoded length allows the huge chunk, so the decoder must stream it; the body then ends early.
        var body = Encoding.ASCII.GetBytes(size + "\r\n" + new string('z', 100_000));
        using var stream = new AwsChunkedStream(new MemoryStream(body), signing: null, decodedContentLength: long.MaxValue);
        var buffer = new byte[8192];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = await Assert.ThrowsAsync<S3Exception>(async () =>
        {
            while (await stream.ReadAsync(buffer, TestContext.Current.CancellationToken) > 0)
            {
            }
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(S3ErrorCode.IncompleteBody, error.Error);
        Assert.True(allocated < 64 * 1024, $"Decoding a body that claims a {size}-byte chunk allocated {allocated} bytes.");
    }

    [Theory]
    [InlineData("ffffffffffffffff")]
    [InlineData("10000000000000000")]
    [InlineData("8000000000000000")]
    public async Task Read_ChunkSizeBeyondDeclaredOrInt64_ThrowsInvalidRequestBeforeReadingData(string size)
    {
        var body = Encoding.ASCII.GetBytes(size + "\r\nabc\r\n0\r\n\r\n");

        var error = await Assert.ThrowsAsync<S3Exception>(() => DecodeAsync(body, null, long.MaxValue, 4096));

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
    }

    [Fact]
    public async Task Read_EndlessSizeLineWithoutCrlf_AllocatesLittleAndThrowsInvalidRequest()
    {
        var body = Encoding.ASCII.GetBytes(new string('1', 1_000_000));
        using var stream = new AwsChunkedStream(new MemoryStream(body), signing: null, decodedContentLength: long.MaxValue);
        var buffer = new byte[8192];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = await Assert.ThrowsAsync<S3Exception>(async () =>
        {
            while (await stream.ReadAsync(buffer, TestContext.Current.CancellationToken) > 0)
            {
            }
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
        Assert.True(allocated < 64 * 1024, $"A 1 MB size line allocated {allocated} bytes.");
    }


    private static byte[] RandomData(Random random)
    {
        var data = new byte[random.Next(4) == 0 ? 0 : random.Next(1, 700)];
        random.NextBytes(data);
        return data;
    }

    private static async Task<byte[]> DecodeAsync(byte[] body, StreamingSignatureContext? signing, long declared, int readSize)
        => (await DecodeWithTrailersAsync(body, signing, declared, readSize)).Data;

    private static async Task<(byte[] Data, IReadOnlyDictionary<string, string> Trailers)> DecodeWithTrailersAsync(
        byte[] body, StreamingSignatureContext? signing, long declared, int readSize)
    {
        using var stream = new AwsChunkedStream(new MemoryStream(body), signing, declared);
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            output.Write(buffer, 0, read);
            if (output.Length > 10_000_000)
            {
                throw new InvalidOperationException("The decoder produced more than 10 MB from a small body.");
            }
        }

        return (output.ToArray(), stream.Trailers);
    }
}
