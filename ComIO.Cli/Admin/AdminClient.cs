using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Admin;

/// <summary>
/// Calls the ComIO admin API (<see cref="Prefix"/>) with SigV4-signed JSON requests, using the same resolved endpoint,
/// credentials and region as the S3 commands. A non-success answer becomes a <see cref="CliException"/> carrying the
/// server's error code and message (JSON <c>{"code","message"}</c> from the admin API, S3 XML from anything else).
/// Not thread-safe; one instance per command.
/// </summary>
public sealed class AdminClient : IDisposable
{
    public const string Prefix = "/_comio/admin/v1";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _accessKey;
    private readonly string _secretKey;
    private readonly string _region;

    public AdminClient(ConnectionOptions options)
    {
        var settings = ConnectionResolver.Resolve(options, new ProfileStore());
        _endpoint = ConnectionResolver.ParseEndpoint(settings.Endpoint.Value!);
        ConnectionResolver.RequireCredentials(settings);
        _accessKey = settings.AccessKey.Value!;
        _secretKey = settings.SecretKey.Value!;
        _region = settings.Region.Value ?? ConnectionResolver.DefaultRegion;
        _http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
    }

    /// <summary>Builds a path under <see cref="Prefix"/> from raw segments, each percent-encoded.</summary>
    public static string PathOf(params string[] segments) => Prefix + "/" + string.Join('/', segments.Select(AdminRequestSigner.EncodeSegment));

    /// <summary>Sends a signed request; returns the parsed JSON body, or null for an empty (204) answer.</summary>
    public async Task<JsonDocument?> SendAsync(HttpMethod method, string pathAndQuery, string? body, CancellationToken ct)
    {
        var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(method, new Uri(_endpoint, pathAndQuery));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        AdminRequestSigner.Sign(request, bytes, _accessKey, _secretKey, _region, DateTime.UtcNow);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliException(DescribeError(response.StatusCode, text));
        }

        return string.IsNullOrWhiteSpace(text) ? null : JsonDocument.Parse(text);
    }

    /// <summary>One line for a failed answer: <c>Code: message</c> from the JSON or XML error body, else the HTTP status.</summary>
    public static string DescribeError(HttpStatusCode status, string body)
    {
        var trimmed = body.TrimStart();
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(trimmed);
                var root = json.RootElement;
                var code = Property(root, "code") ?? Property(root, "title");
                var message = Property(root, "message") ?? Property(root, "detail");
                if (code is not null || message is not null)
                {
                    return $"{code ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {OneLine(message ?? status.ToString())}";
                }
            }
            else if (trimmed.StartsWith('<'))
            {
                var error = XDocument.Parse(trimmed).Root;
                var code = error?.Element("Code")?.Value;
                var message = error?.Element("Message")?.Value;
                if (code is not null)
                {
                    return $"{code}: {OneLine(message ?? status.ToString())}";
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            // fall through to the status line
        }

        return $"HTTP {(int)status} {status}";
    }

    private static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    public void Dispose() => _http.Dispose();
}
