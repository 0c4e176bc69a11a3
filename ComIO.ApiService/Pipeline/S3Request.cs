using ComIO.ApiService.Authentication;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Protocol.Routing;

namespace ComIO.ApiService.Pipeline;

/// <summary>One S3 request being served: its HTTP context, request id, decoded target and authenticated caller.</summary>
public sealed class S3Request(HttpContext http, string requestId, S3Target target, AuthenticationResult auth, Principal? principal = null)
{
    /// <summary>The authenticated caller; null for an anonymous request.</summary>
    public Principal? Principal { get; private set; } = principal;

    /// <summary>
    /// The caller's credential when it was resolved for the request's object node with a stamp (see
    /// <see cref="Identity.IdentityBinding"/>, which binds or re-reads it once the operation is known); null otherwise.
    /// </summary>
    public ResolvedCredential? StampedCredential { get; private set; }

    /// <summary>The request bucket's settings once read (by authorization or a handler); reused for the rest of the request.</summary>
    public Buckets.BucketSettings? BucketSettings { get; set; }

    /// <summary>
    /// The node that owns the request's object when this request may decide with the settings the API service keeps in
    /// memory (see <see cref="Buckets.BucketSettingsStore"/>); null = read them from the nodes.
    /// </summary>
    public Placement.StorageNodeInfo? SettingsNode { get; set; }

    /// <summary>The stamp of <see cref="BucketSettings"/> when they were read from <see cref="SettingsNode"/> or memory.</summary>
    public Buckets.SettingsStamp? SettingsStamp { get; set; }

    /// <summary>
    /// True while the request decides with bucket settings or an identity from memory that no node has confirmed yet: a refusal now is
    /// provisional, since the request is served again with fresh settings (see <see cref="Buckets.BucketSettingsStore.ShouldServeAgain"/>).
    /// </summary>
    public bool DecidesOnUnconfirmedSettings => SettingsStamp is { Confirmed: false } stamp && (stamp.FromCache || stamp.IdentityFromCache) && !FreshSettingsOnly;

    /// <summary>Set when the request is served a second time because its first settings were stale: memory is not used.</summary>
    public bool FreshSettingsOnly { get; set; }

    /// <summary>True once the request's payload was opened (it can then be read again only from <see cref="ReplayableBody"/>).</summary>
    public bool BodyOpened { get; set; }

    /// <summary>
    /// A small payload read whole so the request can be served again (see <see cref="Handlers.RequestBody"/>); its array
    /// is pooled and goes back to the pool when the request ends.
    /// </summary>
    public ArraySegment<byte>? ReplayableBody { get; set; }

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

    /// <summary>Sets the caller's credential (its principal, and its stamp when it has one).</summary>
    public void UseCredential(ResolvedCredential credential)
    {
        Principal = credential.Principal;
        StampedCredential = credential.Stamp is null ? null : credential;
    }

    public string? Header(string name)
    {
        var value = Http.Request.Headers[name];
        return value.Count == 0 ? null : value.ToString();
    }
}
