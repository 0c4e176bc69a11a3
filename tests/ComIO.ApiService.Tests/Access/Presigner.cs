using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Tests.S3.Harness;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Presigned GET URLs written from the AWS "Authenticating Requests: Using Query Parameters" reference, so a test chooses
/// <c>X-Amz-Expires</c> to the second (the SDK rounds the lifetime it is given).
/// </summary>
public static class Presigner
{
    public static Uri PresignGet(Uri endpoint, string path, string accessKey, string secretKey, string region, int expiresSeconds, DateTimeOffset? signedAt = null)
    {
        var amzDate = (signedAt ?? DateTimeOffset.UtcNow).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
        var query = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
            ["X-Amz-Credential"] = $"{accessKey}/{scope}",
            ["X-Amz-Date"] = amzDate,
            ["X-Amz-Expires"] = expiresSeconds.ToString(CultureInfo.InvariantCulture),
            ["X-Amz-SignedHeaders"] = "host",
        };
        var canonicalQuery = string.Join("&", query.Select(p => $"{S3Wire.Encode(p.Key, true)}={S3Wire.Encode(p.Value, true)}"));
        var canonicalRequest = $"GET\n{path}\n{canonicalQuery}\nhost:{endpoint.Authority}\n\nhost\nUNSIGNED-PAYLOAD";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{S3Wire.Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), amzDate[..8]);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        return new Uri(endpoint, $"{path}?{canonicalQuery}&X-Amz-Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
