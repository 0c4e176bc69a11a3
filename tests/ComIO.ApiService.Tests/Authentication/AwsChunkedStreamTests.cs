using System.Text;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>aws-chunked decoding: AWS's documented example, round trips, every-prefix truncation, random and mutated input, bounds.</summary>
public sealed class AwsChunkedStreamTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1, true)]
    [InlineData(7, false)]
    [InlineData(65536, true)]
    [InlineData(100_000, false)]
    public async Task Read_AwsDocumentationExample_VerifiesEveryChunkSignature(int readSize, bool useAsync)
    {
        var (context, body) = AwsDocumentationExamples.ChunkedUpload();

        var (data, trailers) = await AwsChunkedTestEncoder.DecodeAsync(body, context, 66560, readSize, useAsync);

        Assert.Equal(66560, data.Length);
        Assert.All(data, b => Assert.Equal((byte)'a', b));
        Assert.Empty(trailers);
    }

    [Theory]
    [InlineData("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648")]
    [InlineData("0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497")]
    [InlineData("b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9")]
    public async Task Read_AwsDocumentationExampleWithWrongChunkSignature_ThrowsSignatureDoesNotMatch(string signature)
    {
        var (context, body) = AwsDocumentationExamples.ChunkedUpload();
        var text = Encoding.Latin1.GetString(body);
        var broken = Encoding.Latin1.GetBytes(text.Replace(signature, signature[..^1] + (signature[^1] == '0' ? '1' : '0'), StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(broken, context, 66560));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public async Task Read_AwsDocumentationExampleWithDataByteChanged_ThrowsSignatureDoesNotMatch()
    {
        var (context, body) = AwsDocumentationExamples.ChunkedUpload();
        body[1000] = (byte)'b';

        var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(body, context, 66560));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Theory]
    [InlineData(0, 10, false, false)]
    [InlineData(1, 10, true, false)]
    [InlineData(1000, 64, true, true)]
    [InlineData(1000, 1000, false, true)]
    [InlineData(70_000, 8192, true, true)]
    public async Task Read_RoundTrip_ReturnsDataAndTrailers(int length, int chunkSize, bool signed, bool withTrailer)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var context = signed ? AwsChunkedTestEncoder.Context(withTrailer) : null;
        (string, string)[] trailers = withTrailer ? [("x-amz-checksum-crc32", Crc32Reference.Base64(data))] : [];
        var body = AwsChunkedTestEncoder.Encode(data, chunkSize, context, trailers);

        var (decoded, decodedTrailers) = await AwsChunkedTestEncoder.DecodeAsync(body, context, length, readSize: 333);

        Assert.Equal(data, decoded);
        Assert.Equal(withTrailer ? 1 : 0, decodedTrailers.Count);
        if (withTrailer)
        {
            Assert.Equal(Crc32Reference.Base64(data), decodedTrailers["X-Amz-Checksum-Crc32"]);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, true)]
    public async Task Read_EveryStrictPrefix_ThrowsS3Exception(bool signed, bool withTrailer)
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog, twice: the quick brown fox jumps over the lazy dog.");
        var context = signed ? AwsChunkedTestEncoder.Context(withTrailer) : null;
        (string, string)[] trailers = withTrailer ? [("x-amz-checksum-crc32", Crc32Reference.Base64(data))] : [];
        var body = AwsChunkedTestEncoder.Encode(data, 17, context, trailers);

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body[..length];
            var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(prefix, context, data.Length, readSize: 5));
            Assert.True(
                error.Error == S3ErrorCode.IncompleteBody || error.Error == S3ErrorCode.InvalidRequest || error.Error == S3ErrorCode.SignatureDoesNotMatch,
                $"prefix {length}: {error.Error.Code}");
        }

        Assert.Equal(data, (await AwsChunkedTestEncoder.DecodeAsync(body, context, data.Length)).Data);
    }

    [Fact]
    public async Task Read_AwsDocumentationExampleTruncatedAtFramingBoundaries_ThrowsS3Exception()
    {
        var (context, body) = AwsDocumentationExamples.ChunkedUpload();
        int[] cuts = [0, 1, 5, 6, 87, 88, 89, 65625, 65626, 65627, 65711, 65712, 66735, 66736, 66737, 66820, 66822, 66823];

        foreach (var cut in cuts)
        {
            var prefix = body[..cut];
            await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(prefix, context, 66560));
        }
    }

    [Fact]
    public async Task Read_RandomInput_ThrowsOnlyS3ExceptionAndTerminates()
    {
        var random = new Random(20250101);
        string[] tokens = ["0", "1", "a", "f", "10", ";", "chunk-signature=", "\r\n", "\r", "\n", ":", "x-amz-checksum-crc32", "x-amz-trailer-signature", " ", "zz", new string('a', 64)];
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var builder = new StringBuilder();
            var parts = random.Next(0, 30);
            for (var i = 0; i < parts; i++)
            {
                builder.Append(random.Next(4) == 0 ? ((char)random.Next(0, 256)).ToString() : tokens[random.Next(tokens.Length)]);
            }

            var body = Encoding.Latin1.GetBytes(builder.ToString());
            var signing = random.Next(3) switch
            {
                0 => null,
                1 => AwsChunkedTestEncoder.Context(hasTrailer: false),
                _ => AwsChunkedTestEncoder.Context(hasTrailer: true),
            };
            var decodedLength = random.Next(0, 40);
            var decode = Task.Run(() => AwsChunkedTestEncoder.DecodeAsync(body, signing, decodedLength, readSize: random.Next(1, 64)), Ct);
            try
            {
                await decode.WaitAsync(TimeSpan.FromSeconds(10), Ct);
            }
            catch (S3Exception)
            {
            }
        }
    }

    [Fact]
    public async Task Read_MutatedSignedBody_EitherFailsWithS3ExceptionOrReturnsOriginalData()
    {
        var random = new Random(42);
        var data = new byte[300];
        random.NextBytes(data);
        var context = AwsChunkedTestEncoder.Context(hasTrailer: true);
        var body = AwsChunkedTestEncoder.Encode(data, 64, context, ("x-amz-checksum-crc32", Crc32Reference.Base64(data)));

        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var mutated = new List<byte>(body);
            var edits = random.Next(1, 4);
            for (var e = 0; e < edits; e++)
            {
                var position = random.Next(mutated.Count);
                switch (random.Next(3))
                {
                    case 0:
                        mutated[position] ^= (byte)(1 << random.Next(8));
                        break;
                    case 1:
                        mutated.RemoveAt(position);
                        break;
                    default:
                        mutated.Insert(position, (byte)random.Next(256));
                        break;
                }
            }

            try
            {
                var (decoded, _) = await AwsChunkedTestEncoder.DecodeAsync([.. mutated], context, data.Length, readSize: random.Next(1, 100));
                Assert.Equal(data, decoded);
            }
            catch (S3Exception)
            {
            }
        }
    }

    [Theory]
    [InlineData("11;chunk-signature=", 16)]
    [InlineData("7fffffffffffffff", 10)]
    [InlineData("ffffffffffffffff", 10)]
    [InlineData("10000000000000000", 10)]
    public async Task Read_ChunkLargerThanDeclaredLength_ThrowsInvalidRequestWithoutReadingData(string sizeLine, long decodedLength)
    {
        var body = Encoding.ASCII.GetBytes(sizeLine.Split(';')[0] + "\r\n");

        var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(body, null, decodedLength));

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
    }

    [Theory]
    [InlineData("1;")]
    [InlineData("")]
    [InlineData("5\r\nhello\r\n0\r\nx-amz-checksum-crc32:")]
    public async Task Read_EndlessLineWithoutCrlf_ThrowsAfterBoundedRead(string prefix)
    {
        using var inner = new EndlessStream(Encoding.ASCII.GetBytes(prefix), (byte)'x');
        using var stream = new AwsChunkedStream(inner, null, 5);
        var buffer = new byte[100];

        var error = await Assert.ThrowsAsync<S3Exception>(async () =>
        {
            while (await stream.ReadAsync(buffer, Ct) > 0)
            {
            }
        });

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
        Assert.True(inner.BytesRead <= 16 * 1024, $"read {inner.BytesRead} bytes");
    }

    [Fact]
    public async Task Read_TooManyTrailers_ThrowsInvalidRequest()
    {
        var trailers = Enumerable.Range(0, 17).Select(i => ($"x-amz-meta-{i}", "v")).ToArray();
        var body = AwsChunkedTestEncoder.Encode([1, 2, 3], 10, null, trailers);

        var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(body, null, 3));

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
    }

    [Fact]
    public async Task Read_SignedTrailerMissingSignature_ThrowsSignatureDoesNotMatch()
    {
        var signedChunks = AwsChunkedTestEncoder.Encode([1, 2, 3], 10, AwsChunkedTestEncoder.Context(hasTrailer: true));
        var trailerOnly = Encoding.ASCII.GetBytes("x-amz-checksum-crc32:AAAAAA==\r\n\r\n");
        byte[] combined = [.. signedChunks[..^2], .. trailerOnly];

        var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(combined, AwsChunkedTestEncoder.Context(hasTrailer: true), 3));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
    }

    [Fact]
    public async Task Read_ShorterThanDecodedLength_ThrowsIncompleteBody()
    {
        var body = AwsChunkedTestEncoder.Encode([1, 2, 3], 10, null);

        var error = await Assert.ThrowsAsync<S3Exception>(() => AwsChunkedTestEncoder.DecodeAsync(body, null, 4));

        Assert.Equal(S3ErrorCode.IncompleteBody, error.Error);
    }

    [Fact]
    public async Task Read_AfterFailure_RethrowsSameError()
    {
        using var stream = new AwsChunkedStream(new MemoryStream("zz\r\n"u8.ToArray()), null, 3);
        var buffer = new byte[10];

        var first = await Assert.ThrowsAsync<S3Exception>(async () => _ = await stream.ReadAsync(buffer, Ct));
        var second = await Assert.ThrowsAsync<S3Exception>(async () => _ = await stream.ReadAsync(buffer, Ct));

        Assert.Same(first, second);
        Assert.Empty(stream.Trailers);
    }

    /// <summary>A stream that returns a prefix, then the same byte forever, counting what was read.</summary>
    private sealed class EndlessStream(byte[] prefix, byte filler) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => BytesRead;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            for (var i = 0; i < count; i++)
            {
                buffer[offset + i] = BytesRead + i < prefix.Length ? prefix[BytesRead + i] : filler;
            }

            BytesRead += count;
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
