using System.Text;
using ComIO.ApiService.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>An HTTP request exactly as it reached the server (raw target, headers, body bytes), replayable as an HttpContext.</summary>
internal sealed record CapturedRequest(string Method, string RawTarget, IReadOnlyList<KeyValuePair<string, string[]>> Headers, byte[] Body)
{
    /// <summary>The outcome of running the authenticator inside the live server pipeline, when one was configured.</summary>
    public AuthenticationResult? LiveResult { get; init; }

    public Exception? LiveError { get; init; }

    public string? Header(string name)
    {
        foreach (var (key, values) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return string.Join(",", values);
            }
        }

        return null;
    }

    public CapturedRequest WithHeader(string name, string? value)
    {
        var headers = Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            headers.Add(new(name, [value]));
        }

        return this with { Headers = headers };
    }

    public DefaultHttpContext ToHttpContext() => Build(Method, RawTarget, Headers, Body);

    public static DefaultHttpContext Build(string method, string rawTarget, IEnumerable<KeyValuePair<string, string[]>> headers, byte[]? body = null)
    {
        var context = new DefaultHttpContext();
        var feature = context.Features.Get<IHttpRequestFeature>()!;
        feature.Method = method;
        feature.RawTarget = rawTarget;
        var q = rawTarget.IndexOf('?', StringComparison.Ordinal);
        feature.Path = Uri.UnescapeDataString(q < 0 ? rawTarget : rawTarget[..q]);
        feature.QueryString = q < 0 ? string.Empty : rawTarget[q..];
        foreach (var (name, values) in headers)
        {
            context.Request.Headers[name] = values;
        }

        context.Request.Body = new MemoryStream(body ?? []);
        return context;
    }

    public static DefaultHttpContext Build(string method, string rawTarget, params (string Name, string Value)[] headers)
        => Build(method, rawTarget, headers.Select(h => new KeyValuePair<string, string[]>(h.Name, [h.Value])));

    public override string ToString()
    {
        var text = new StringBuilder().Append(Method).Append(' ').Append(RawTarget).Append('\n');
        foreach (var (name, values) in Headers)
        {
            text.Append(name).Append(": ").Append(string.Join(",", values)).Append('\n');
        }

        return text.Append("body ").Append(Body.Length).Append(" bytes").ToString();
    }
}
