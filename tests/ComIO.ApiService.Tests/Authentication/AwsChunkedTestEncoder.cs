using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Authentication;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>Test-side aws-chunked encoder (signed or unsigned, optional trailers), written from the AWS documentation.</summary>
internal static class AwsChunkedTestEncoder
{
    public static readonly byte[] TestSigningKey = SHA256.HashData("comio-test-signing-key"u8);

    public static StreamingSignatureContext Context(bool hasTrailer)
        => new(TestSigningKey, "20250101T000000Z", "20250101/us-east-1/s3/aws4_request", new string('a', 64), hasTrailer);

    public static byte[] Encode(byte[] data, int chunkSize, StreamingSignatureContext? signing, params (string Name, string Value)[] trailers)
    {
        using var output = new MemoryStream();
        var previous = signing?.SeedSignature;
        var offset = 0;
        while (true)
        {
            var size = Math.Min(chunkSize, data.Length - offset);
            var chunk = data.AsSpan(offset, size);
            var header = size.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            if (signing is not null)
            {
                var stringToSign = $"AWS4-HMAC-SHA256-PAYLOAD\n{signing.Timestamp}\n{signing.Scope}\n{previous}\n{Sha256Hex([])}\n{Sha256Hex(chunk)}";
                previous = Hmac(signing, stringToSign);
                header += ";chunk-signature=" + previous;
            }

            output.Write(Encoding.ASCII.GetBytes(header + "\r\n"));
            output.Write(chunk);
            if (size > 0)
            {
                output.Write("\r\n"u8);
            }

            offset += size;
            if (size == 0)
            {
                break;
            }
        }

        if (trailers.Length > 0)
        {
            foreach (var (name, value) in trailers)
            {
                output.Write(Encoding.ASCII.GetBytes($"{name}:{value}\r\n"));
            }

            if (signing is not null)
            {
                var canonical = string.Concat(trailers.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => $"{t.Name}:{t.Value}\n"));
                var stringToSign = $"AWS4-HMAC-SHA256-TRAILER\n{signing.Timestamp}\n{signing.Scope}\n{previous}\n{Sha256Hex(Encoding.ASCII.GetBytes(canonical))}";
                output.Write(Encoding.ASCII.GetBytes($"x-amz-trailer-signature:{Hmac(signing, stringToSign)}\r\n"));
            }
        }

        output.Write("\r\n"u8);
        return output.ToArray();
    }

    /// <summary>Decodes fully with reads of <paramref name="readSize"/> bytes; sync or async.</summary>
    public static async Task<(byte[] Data, IReadOnlyDictionary<string, string> Trailers)> DecodeAsync(
        byte[] body, StreamingSignatureContext? signing, long decodedLength, int readSize = 4096, bool useAsync = true)
    {
        using var stream = new AwsChunkedStream(new MemoryStream(body), signing, decodedLength);
        using var output = new MemoryStream();
        var buffer = new byte[readSize];
        while (true)
        {
            var read = useAsync
                ? await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)
                : stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                break;
            }

            output.Write(buffer, 0, read);
        }

        return (output.ToArray(), stream.Trailers);
    }

    private static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string Hmac(StreamingSignatureContext signing, string text)
        => Convert.ToHexStringLower(HMACSHA256.HashData(signing.SigningKey, Encoding.UTF8.GetBytes(text)));
}
