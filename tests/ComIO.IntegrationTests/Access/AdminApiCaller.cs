using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ComIO.IntegrationTests.Access;

/// <summary>
/// Calls the admin API (<c>/_comio/admin/v1</c>) of a running topology, SigV4-signed (service s3, header signing, signed
/// payload hash) with the given credentials; a new connection per call so successive calls spread over API replicas.
/// </summary>
public sealed class AdminApiCaller(Uri endpoint, string accessKey, string secretKey, string region = "us-east-1")
{
    public const string Prefix = "/_comio/admin/v1";

    /// <summary>Sends one call and returns its status and JSON body (null when empty).</summary>
    public async Task<(int Status, JsonElement? Body)> SendAsync(HttpMethod method, string path, string? json, CancellationToken ct)
    {
        var body = json is null ? [] : Encoding.UTF8.GetBytes(json);
        var amzDate = DateTimeOffset.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var canonicalRequest = $"{method.Method}\n{Prefix}{path}\n\nhost:{endpoint.Authority}\nx-amz-content-sha256:{payloadHash}\nx-amz-date:{amzDate}\n\n"
            + $"host;x-amz-content-sha256;x-amz-date\n{payloadHash}";
        var scope = $"{amzDate[..8]}/{region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), amzDate[..8]);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));

        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = endpoint };
        using var request = new HttpRequestMessage(method, Prefix + path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } };
        }

        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope},SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature={signature}");
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
