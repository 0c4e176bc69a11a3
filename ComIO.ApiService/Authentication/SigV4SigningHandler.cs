using System.Globalization;
using System.Security.Cryptography;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// Signs outgoing requests with AWS Signature Version 4 (service <c>s3</c>, headers <c>host</c>, <c>x-amz-date</c>,
/// <c>x-amz-content-sha256</c>, payload hash of the buffered body) — used for the API service's own calls to other
/// sites' admin APIs. Request paths must already be percent-encoded as they go on the wire; queries are not supported.
/// </summary>
public sealed class SigV4SigningHandler(string accessKeyId, string secretKey, string region, TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var now = time.GetUtcNow();
        var timestamp = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = timestamp[..8];
        var uri = request.RequestUri!;
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        request.Headers.Host = host;
        request.Headers.TryAddWithoutValidation("x-amz-date", timestamp);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);

        const string signedHeaders = "host;x-amz-content-sha256;x-amz-date";
        var canonicalRequest = string.Concat(
            request.Method.Method, "\n", uri.AbsolutePath, "\n", "", "\n",
            "host:", host, "\n", "x-amz-content-sha256:", payloadHash, "\n", "x-amz-date:", timestamp, "\n", "\n",
            signedHeaders, "\n", payloadHash);
        var scope = $"{date}/{region}/s3/aws4_request";
        var stringToSign = string.Concat(SigV4Authenticator.Algorithm, "\n", timestamp, "\n", scope, "\n", SigV4Crypto.Sha256Hex(canonicalRequest));
        Span<byte> signature = stackalloc byte[32];
        SigV4Crypto.HmacUtf8(SigV4Crypto.DeriveSigningKey(secretKey, date, region, "s3"), stringToSign, signature);
        request.Headers.TryAddWithoutValidation("Authorization",
            $"{SigV4Authenticator.Algorithm} Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={Convert.ToHexStringLower(signature)}");
        return await base.SendAsync(request, cancellationToken);
    }
}
