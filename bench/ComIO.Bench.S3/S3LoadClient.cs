using System.Net;

namespace ComIO.Bench.S3;

/// <summary>
/// The load generator's S3 client: raw <see cref="HttpClient"/> requests signed by <see cref="SigV4Signer"/>, the same
/// code path against ComIO and against the bare Kestrel ceiling. Bodies are read to the end into a caller-owned sink
/// (never buffered whole). Keys must consist of unreserved characters and '/'. Thread-safe.
/// </summary>
internal sealed class S3LoadClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly SigV4Signer _signer;
    private readonly string _host;

    public S3LoadClient(Uri endpoint, SigV4Signer signer)
    {
        Endpoint = endpoint;
        _signer = signer;
        _host = endpoint.Authority;
        _http = BareKestrel.LoadClient(endpoint);
    }

    public Uri Endpoint { get; }

    public async Task CreateBucketAsync(string bucket, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, "/" + bucket, "", null, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
    }

    /// <summary>PUT a bucket sub-resource (e.g. <c>encryption</c>) with an XML body.</summary>
    public async Task PutBucketSubresourceAsync(string bucket, string subresource, string xml, CancellationToken ct)
    {
        using var body = new StringContent(xml, System.Text.Encoding.UTF8, "application/xml");
        using var response = await SendAsync(HttpMethod.Put, "/" + bucket, subresource + "=", body, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
    }

    public async Task PutAsync(string bucket, string key, HttpContent body, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/{bucket}/{key}", "", body, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
    }

    /// <summary>GET the whole object into <paramref name="sink"/> (overwritten repeatedly); returns the byte count.</summary>
    public async Task<long> GetAsync(string bucket, string key, byte[] sink, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/{bucket}/{key}", "", null, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
        return await DrainAsync(response, sink, ct);
    }

    public async Task HeadAsync(string bucket, string key, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Head, $"/{bucket}/{key}", "", null, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
    }

    public async Task DeleteAsync(string bucket, string key, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/{bucket}/{key}", "", null, ct);
        await EnsureAsync(response, HttpStatusCode.NoContent, ct);
    }

    /// <summary>ListObjectsV2 of one page; <paramref name="startAfter"/> must be unreserved characters and '/'. Returns the body length.</summary>
    public async Task<long> ListAsync(string bucket, string prefix, int maxKeys, string? startAfter, byte[] sink, CancellationToken ct)
    {
        // Canonical query: names sorted, values encoded ('/' -> %2F).
        var query = $"list-type=2&max-keys={maxKeys}&prefix={Escape(prefix)}" + (startAfter is null ? "" : $"&start-after={Escape(startAfter)}");
        using var response = await SendAsync(HttpMethod.Get, "/" + bucket, query, null, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
        return await DrainAsync(response, sink, ct);
    }

    /// <summary>ListObjectVersions of one page (prefix: unreserved characters and '/'). Returns the body length.</summary>
    public async Task<long> ListVersionsAsync(string bucket, string prefix, int maxKeys, byte[] sink, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, "/" + bucket, $"max-keys={maxKeys}&prefix={Escape(prefix)}&versions=", null, ct);
        await EnsureAsync(response, HttpStatusCode.OK, ct);
        return await DrainAsync(response, sink, ct);
    }

    /// <summary>Any request with a small answer (bucket configuration, list pages, admin calls); returns the body as text, throws unless <paramref name="expected"/> (200 also accepts 204).</summary>
    public async Task<string> SendTextAsync(HttpMethod method, string path, string query, HttpContent? body, CancellationToken ct, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await SendAsync(method, path, query, body, ct);
        await EnsureAsync(response, expected, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>
    /// Streams an object from this endpoint into <paramref name="destination"/> (GET, then a PUT whose body is the GET's
    /// response stream with its Content-Length): a client-side copy, never buffered whole. Returns the byte count.
    /// </summary>
    public async Task<long> CopyToAsync(string bucket, string key, S3LoadClient destination, string destinationBucket, string destinationKey, CancellationToken ct)
    {
        using var source = await SendAsync(HttpMethod.Get, $"/{bucket}/{key}", "", null, ct);
        await EnsureAsync(source, HttpStatusCode.OK, ct);
        var length = source.Content.Headers.ContentLength ?? throw new HttpRequestException($"GET /{bucket}/{key}: no Content-Length");
        await using var stream = await source.Content.ReadAsStreamAsync(ct);
        using var body = new StreamContent(stream, 1 << 20);
        body.Headers.ContentLength = length;
        await destination.PutAsync(destinationBucket, destinationKey, body, ct);
        return length;
    }

    public void Dispose() => _http.Dispose();

    private static string Escape(string value) => value.Replace("/", "%2F", StringComparison.Ordinal);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string query, HttpContent? body, CancellationToken ct)
    {
        var (amzDate, authorization) = _signer.Sign(method.Method, _host, path, query, DateTime.UtcNow);
        var request = new HttpRequestMessage(method, query.Length == 0 ? path : path + "?" + query) { Content = body };
        request.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        request.Headers.TryAddWithoutValidation("x-amz-content-sha256", SigV4Signer.UnsignedPayload);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    private static async Task<long> DrainAsync(HttpResponseMessage response, byte[] sink, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(sink, ct)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        if (response.StatusCode == expected || (expected == HttpStatusCode.OK && response.StatusCode == HttpStatusCode.NoContent))
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(ct);
        throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text[..Math.Min(400, text.Length)]}");
    }
}
