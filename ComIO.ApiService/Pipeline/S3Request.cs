using ComIO.ApiService.Authentication;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Protocol.Routing;

namespace ComIO.ApiService.Pipeline;

/// <summary>One S3 request being served: its HTTP context, request id, decoded target and authenticated caller.</summary>
public sealed class S3Request(HttpContext http, string requestId, S3Target target, AuthenticationResult auth, Principal? principal = null)
{
    /// <summary>The authenticated caller; null for an anonymous request.</summary>
    public Principal? Principal { get; } = principal;

    /// <summary>The request bucket's settings once read (by authorization or a handler); reused for the rest of the request.</summary>
    public Buckets.BucketSettings? BucketSettings { get; set; }

    public HttpContext Http { get; } = http;

    public string RequestId { get; } = requestId;

    public S3Target Target { get; } = target;

    public AuthenticationResult Auth { get; } = auth;

    public string Bucket => Target.Bucket!;

    public string Key => Target.Key!;

    public IQueryCollection Query => Http.Request.Query;

    public IHeaderDictionary Headers => Http.Request.Headers;

    public HttpResponse Response => Http.Response;

    public CancellationToken Aborted => Http.RequestAborted;

    public string? Header(string name)
    {
        var value = Http.Request.Headers[name];
        return value.Count == 0 ? null : value.ToString();
    }
}
