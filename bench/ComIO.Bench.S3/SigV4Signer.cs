using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ComIO.Bench.S3;

/// <summary>
/// Signs S3 requests with AWS Signature Version 4 in the Authorization header, payload <c>UNSIGNED-PAYLOAD</c> (what
/// the AWS SDKs send over TLS for streaming bodies): per request one SHA-256 of the canonical request and one
/// HMAC-SHA256; the derived signing key is cached per day. Signed headers: host, x-amz-content-sha256, x-amz-date.
/// Paths and queries are given already canonical (keys of the load generator use unreserved characters only).
/// Thread-safe.
/// </summary>
internal sealed class SigV4Signer(string accessKey, string secretKey, string region)
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    private const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date";

    private readonly Lock _gate = new();
    private string _keyDate = "";
    private byte[] _signingKey = [];

    /// <summary>The x-amz-date value and Authorization header for one request.</summary>
    /// <param name="canonicalQuery">Sorted, encoded <c>name=value&amp;...</c>; empty when there is no query.</param>
    public (string AmzDate, string Authorization) Sign(string method, string host, string canonicalPath, string canonicalQuery, DateTime utcNow)
    {
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var canonicalRequest = string.Concat(
            method, "\n", canonicalPath, "\n", canonicalQuery, "\n",
            "host:", host, "\n",
            "x-amz-content-sha256:", UnsignedPayload, "\n",
            "x-amz-date:", amzDate, "\n\n",
            SignedHeaders, "\n", UnsignedPayload);
        var scope = string.Concat(date, "/", region, "/s3/aws4_request");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest), hash);
        var stringToSign = string.Concat("AWS4-HMAC-SHA256\n", amzDate, "\n", scope, "\n", Convert.ToHexStringLower(hash));
        Span<byte> signature = stackalloc byte[32];
        HMACSHA256.HashData(SigningKey(date), Encoding.UTF8.GetBytes(stringToSign), signature);
        var authorization = string.Concat(
            "AWS4-HMAC-SHA256 Credential=", accessKey, "/", scope, ",SignedHeaders=", SignedHeaders, ",Signature=", Convert.ToHexStringLower(signature));
        return (amzDate, authorization);
    }

    private byte[] SigningKey(string date)
    {
        lock (_gate)
        {
            if (_keyDate != date)
            {
                var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
                key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
                key = HMACSHA256.HashData(key, "s3"u8);
                _signingKey = HMACSHA256.HashData(key, "aws4_request"u8);
                _keyDate = date;
            }

            return _signingKey;
        }
    }
}
