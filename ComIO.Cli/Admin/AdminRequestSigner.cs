using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace ComIO.Cli.Admin;

/// <summary>
/// Signs an admin API request with AWS Signature Version 4 (service <c>s3</c>): builds the canonical request (method,
/// already-encoded path, sorted query, the signed headers <c>host</c>, <c>x-amz-content-sha256</c>, <c>x-amz-date</c>)
/// and lets AWSSDK's <see cref="AWS4Signer"/> derive the key and compute the signature. The payload hash is the SHA-256
/// hex of the exact body bytes sent. Stateless and thread-safe.
/// </summary>
public static class AdminRequestSigner
{
    public const string Service = "s3";

    /// <summary>Adds <c>x-amz-date</c>, <c>x-amz-content-sha256</c> and <c>Authorization</c> to <paramref name="request"/>.</summary>
    public static void Sign(HttpRequestMessage request, byte[] body, string accessKey, string secretKey, string region, DateTime utcNow)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri ?? throw new ArgumentException("the request needs an absolute URI", nameof(request));
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var amzDate = utcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.Method).Append('\n')
            .Append(uri.AbsolutePath).Append('\n')
            .Append(CanonicalQuery(uri.Query)).Append('\n');
        foreach (var (name, value) in headers)
        {
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var result = AWS4Signer.ComputeSignature(new ImmutableCredentials(accessKey, secretKey, null), region, utcNow, Service, signedHeaders, canonical.ToString());
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        request.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>RFC 3986 encoding of one path segment, as SigV4 expects for a canonical URI (unreserved characters kept).</summary>
    public static string EncodeSegment(string segment) => Uri.EscapeDataString(segment);

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }

        // Query strings built by AdminClient are already RFC 3986 encoded; only sort them.
        var pairs = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Contains('=', StringComparison.Ordinal) ? p : p + "=")
            .Order(StringComparer.Ordinal);
        return string.Join('&', pairs);
    }
}
