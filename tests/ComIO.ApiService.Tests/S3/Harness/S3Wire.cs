using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>
/// Raw S3 requests, SigV4-signed in headers (written from the AWS "Signature Calculations for the Authorization
/// Header" reference), so a test sees and controls every byte the SDK would hide: status, headers, XML element names,
/// deliberately wrong payload hashes, truncated bodies. Paths are given percent-encoded (see <see cref="EncodeKey"/>);
/// query parameters are given decoded and encoded here. Thread-safe.
/// </summary>
public sealed class S3Wire(Uri endpoint, string accessKey, string secretKey, string region) : IDisposable
{
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public static readonly XNamespace Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        BaseAddress = endpoint,
    };

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Sends a request. <paramref name="payloadHash"/> defaults to the SHA-256 of <paramref name="body"/>; <paramref name="signedAt"/> (default now) is the signing time.</summary>
    /// <param name="path">Percent-encoded path starting with <c>/</c>, e.g. <c>/bucket/a%20b</c>.</param>
    /// <param name="anonymous">No Authorization header at all.</param>
    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        IEnumerable<(string Name, string Value)>? query = null,
        byte[]? body = null,
        IEnumerable<(string Name, string Value)>? headers = null,
        string? payloadHash = null,
        bool anonymous = false,
        string? signingSecret = null,
        string? host = null,
        DateTimeOffset? signedAt = null)
    {
        var queryList = query?.ToList() ?? [];
        var request = new HttpRequestMessage(method, new Uri(Endpoint, path + QueryString(queryList)));
        if (host is not null)
        {
            request.Headers.Host = host; // virtual-host style: the bucket is in the Host header, the socket still goes to the endpoint
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        var extra = headers?.ToList() ?? [];
        if (!anonymous)
        {
            foreach (var header in SignDetailed(method.Method, path, queryList, extra, payloadHash ?? Sha256Hex(body ?? []), signingSecret ?? secretKey, host, signedAt).Headers)
            {
                extra.Add(header);
            }
        }

        foreach (var (name, value) in extra)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Writes a request on a raw socket (<c>Connection: close</c>): the head as given plus signature headers, then
    /// <paramref name="bodyBytes"/> (which may be shorter than the declared Content-Length), and returns the status and
    /// everything the server answered. Status 0 means the server closed or reset the connection without an answer.
    /// </summary>
    /// <param name="sign">False sends <paramref name="headers"/> as they are (the caller signed, or wants no signature).</param>
    /// <param name="halfClose">Shut down the sending side after the body: the client has nothing more to send (a truncated upload).</param>
    public async Task<(int Status, string Response)> SendRawAsync(string method, string path, IEnumerable<(string Name, string Value)> headers, byte[] bodyBytes,
        string payloadHash, bool sign = true, bool halfClose = false)
    {
        var list = headers.ToList();
        if (sign)
        {
            // A query in a raw target is given already encoded; the canonical request needs its decoded pairs.
            var queryStart = path.IndexOf('?');
            var query = queryStart < 0
                ? []
                : path[(queryStart + 1)..].Split('&').Select(p => p.Split('=', 2)).Select(p => (Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")).ToList();
            list.AddRange(Sign(method, queryStart < 0 ? path : path[..queryStart], query, list, payloadHash, secretKey));
        }

        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {Endpoint.Authority}\r\nConnection: close\r\n");
        foreach (var (name, value) in list)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        head.Append("\r\n");
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var ct = timeout.Token;
        await client.ConnectAsync(Endpoint.Host, Endpoint.Port, ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(bodyBytes, ct);
        await stream.FlushAsync(ct);
        if (halfClose)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }

        var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, ct);
        }
        catch (IOException)
        {
            // Reset by the server: whatever arrived before is the answer.
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var status = text.Length >= 12 ? int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture) : 0;
        return (status, text);
    }

    /// <summary>The Authorization, x-amz-date and x-amz-content-sha256 headers for a request (signs host and every x-amz-* and content-md5 header given).</summary>
    public IEnumerable<(string Name, string Value)> Sign(string method, string path, IReadOnlyList<(string Name, string Value)> query,
        IReadOnlyList<(string Name, string Value)> headers, string payloadHash, string secret) =>
        SignDetailed(method, path, query, headers, payloadHash, secret).Headers;

    /// <summary>
    /// Signs like <see cref="Sign"/> and also returns what an aws-chunked signed body needs: the signing key, the
    /// timestamp, the credential scope and the seed (request) signature.
    /// </summary>
    public (List<(string Name, string Value)> Headers, byte[] SigningKey, string Timestamp, string Scope, string Signature) SignDetailed(
        string method, string path, IReadOnlyList<(string Name, string Value)> query, IReadOnlyList<(string Name, string Value)> headers, string payloadHash, string secret,
        string? host = null, DateTimeOffset? signedAt = null)
    {
        var now = signedAt ?? DateTimeOffset.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = host ?? Endpoint.Authority,
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower.StartsWith("x-amz-", StringComparison.Ordinal) || lower == "content-md5")
            {
                signed[lower] = signed.TryGetValue(lower, out var existing) && lower is not ("x-amz-content-sha256" or "x-amz-date")
                    ? existing + "," + CanonicalValue(value)
                    : CanonicalValue(value);
            }
        }

        var canonicalQuery = string.Join("&", query
            .Select(p => (Name: Encode(p.Name, true), Value: Encode(p.Value, true)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
        var canonicalHeaders = string.Concat(signed.Select(h => $"{h.Key}:{h.Value}\n"));
        var signedHeaders = string.Join(";", signed.Keys);
        var canonicalRequest = $"{method}\n{path}\n{canonicalQuery}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var scope = $"{date}/{region}/s3/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Sha256Hex(Encoding.UTF8.GetBytes(canonicalRequest))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, "s3");
        key = Hmac(key, "aws4_request");
        var signature = Convert.ToHexStringLower(Hmac(key, stringToSign));
        List<(string, string)> result =
        [
            ("x-amz-date", amzDate),
            ("x-amz-content-sha256", payloadHash),
            ("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope},SignedHeaders={signedHeaders},Signature={signature}"),
        ];
        return (result, key, amzDate, scope, signature);
    }

    /// <summary>Percent-encodes an object key for a path as the AWS SDKs do: every byte except unreserved characters and <c>/</c>.</summary>
    public static string EncodeKey(string key) => Encode(key, encodeSlash: false);

    /// <summary>AWS URI encoding: unreserved characters (<c>A-Z a-z 0-9 - _ . ~</c>) stay, every other UTF-8 byte is <c>%XX</c>.</summary>
    public static string Encode(string value, bool encodeSlash)
    {
        var builder = new StringBuilder(value.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (c == '/' && !encodeSlash))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return builder.ToString();
    }

    public static string Sha256Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Md5Base64(byte[] data) => Convert.ToBase64String(MD5.HashData(data));

    /// <summary>Reads a response body as XML (S3 bodies are small).</summary>
    public static async Task<XDocument> XmlAsync(HttpResponseMessage response) =>
        XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

    /// <summary>The single value of a response header (content or message header), or null.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : null;

    public static MediaTypeHeaderValue? ContentType(HttpResponseMessage response) => response.Content.Headers.ContentType;

    public void Dispose() => _http.Dispose();

    private static string QueryString(IReadOnlyList<(string Name, string Value)> query) =>
        query.Count == 0 ? "" : "?" + string.Join("&", query.Select(p => p.Value.Length == 0 && p.Name is not ("prefix" or "delimiter" or "marker" or "continuation-token") ? Encode(p.Name, true) : $"{Encode(p.Name, true)}={Encode(p.Value, true)}"));

    /// <summary>SigV4 canonical header value: trimmed, runs of spaces collapsed to one.</summary>
    private static string CanonicalValue(string value) => System.Text.RegularExpressions.Regex.Replace(value.Trim(), " {2,}", " ");

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
