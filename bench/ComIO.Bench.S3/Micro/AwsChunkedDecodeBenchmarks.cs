using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using ComIO.ApiService.Authentication;

namespace ComIO.Bench.S3.Micro;

/// <summary>
/// Decoding a 1 MiB <c>aws-chunked</c> body of 64 KiB chunks (what the AWS SDKs send for streaming uploads) through
/// <see cref="AwsChunkedStream"/> into a 64 KiB buffer: unsigned chunks (<c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>
/// framing) and signed chunks (chained chunk signatures, one SHA-256 over each chunk plus one HMAC). A plain copy of the
/// same 1 MiB from a <see cref="MemoryStream"/> is the baseline.
/// </summary>
[MemoryDiagnoser]
public class AwsChunkedDecodeBenchmarks
{
    private const int ObjectSize = 1 << 20;
    private const int ChunkSize = 64 * 1024;
    private const string Timestamp = "20261126T120000Z";
    private const string Scope = "20261126/us-east-1/s3/aws4_request";
    private const string EmptySha256Hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string SeedSignature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

    private readonly byte[] _sink = new byte[ChunkSize];
    private byte[] _plain = [];
    private byte[] _unsigned = [];
    private byte[] _signed = [];
    private byte[] _signingKey = [];

    [GlobalSetup]
    public void Setup()
    {
        _plain = new byte[ObjectSize];
        new Random(1).NextBytes(_plain);
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + ComIOSite.SecretKey), "20261126"u8);
        key = HMACSHA256.HashData(key, "us-east-1"u8);
        key = HMACSHA256.HashData(key, "s3"u8);
        _signingKey = HMACSHA256.HashData(key, "aws4_request"u8);
        _unsigned = Encode(signed: false);
        _signed = Encode(signed: true);
    }

    [Benchmark(Baseline = true)]
    public long CopyPlain() => Drain(new MemoryStream(_plain, writable: false));

    /// <summary>SHA-256 over the same 1 MiB: the floor of signed-chunk verification.</summary>
    [Benchmark]
    public byte[] Sha256Plain() => SHA256.HashData(_plain);

    [Benchmark]
    public long DecodeUnsignedChunks() => Drain(new AwsChunkedStream(new MemoryStream(_unsigned, writable: false), null, ObjectSize));

    [Benchmark]
    public long DecodeSignedChunks() => Drain(new AwsChunkedStream(
        new MemoryStream(_signed, writable: false), new StreamingSignatureContext(_signingKey, Timestamp, Scope, SeedSignature, hasTrailer: false), ObjectSize));

    private long Drain(Stream stream)
    {
        long total = 0;
        int read;
        while ((read = stream.Read(_sink)) > 0)
        {
            total += read;
        }

        return total == ObjectSize ? total : throw new InvalidOperationException($"decoded {total} bytes");
    }

    private byte[] Encode(bool signed)
    {
        using var body = new MemoryStream();
        var previous = SeedSignature;
        for (var offset = 0; offset <= ObjectSize; offset += ChunkSize)
        {
            var length = Math.Min(ChunkSize, ObjectSize - offset);
            var chunk = _plain.AsSpan(offset, length);
            var header = length.ToString("x", CultureInfo.InvariantCulture);
            if (signed)
            {
                var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{Timestamp}\n{Scope}\n{previous}\n{EmptySha256Hex}\n{Convert.ToHexStringLower(SHA256.HashData(chunk))}";
                previous = Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes(stringToSign)));
                header += ";chunk-signature=" + previous;
            }

            body.Write(Encoding.ASCII.GetBytes(header + "\r\n"));
            body.Write(chunk);
            body.Write("\r\n"u8);
            if (length == 0)
            {
                break;
            }
        }

        return body.ToArray();
    }
}
