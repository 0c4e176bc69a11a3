using ComIO.ApiService.Protocol.Errors;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Identity;

/// <summary>
/// Keeps every site's identities the same: after a user or access-key document is durable on this site's nodes, it is
/// sent to the admin API of every peer site (<c>Identity:PeerSites</c>), SigV4-signed with the admin credentials (every
/// site shares the admin credentials and the secret encryption key). The peer stores the document as sent — same
/// canonical id, same encrypted secret — without forwarding it further. If a peer does not confirm, the admin call
/// fails with 503 naming the site; the change is already durable here, and repeating the call converges (documents are
/// written whole, so repeats are harmless).
/// </summary>
public sealed class PeerSites(IHttpClientFactory clients, IOptions<IdentityOptions> options, ILogger<PeerSites> logger)
{
    public const string HttpClientName = "identity-peers";

    /// <summary>The admin API route a peer stores a forwarded document at (PUT text / DELETE).</summary>
    public static string SyncPath(string documentNamespace, string id) =>
        $"{Admin.AdminRoutes.Prefix}/sync/{Uri.EscapeDataString(documentNamespace)}/{Uri.EscapeDataString(id)}";

    public IReadOnlyList<string> Peers => options.Value.PeerSites;

    /// <summary>Sends a document write (text) or removal (null) to every peer site; throws 503 if any did not confirm.</summary>
    public async Task ForwardAsync(string documentNamespace, string id, string? text, CancellationToken ct)
    {
        if (Peers.Count == 0)
        {
            return;
        }

        var http = clients.CreateClient(HttpClientName);
        var failures = await Task.WhenAll(Peers.Select(async peer =>
        {
            try
            {
                using var request = new HttpRequestMessage(text is null ? HttpMethod.Delete : HttpMethod.Put, new Uri(new Uri(peer), SyncPath(documentNamespace, id)));
                if (text is not null)
                {
                    request.Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request, ct);
                return response.IsSuccessStatusCode ? null : $"{peer} answered {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return $"{peer} unreachable ({e.Message})";
            }
        }));

        var failed = failures.Where(f => f is not null).ToList();
        if (failed.Count > 0)
        {
            logger.LogWarning("Identity document {Namespace}/{Id} not confirmed by peer sites: {Failures}", documentNamespace, id, string.Join("; ", failed));
            throw new S3Exception(S3ErrorCode.ServiceUnavailable,
                $"Stored on this site, but not confirmed by every peer site ({string.Join("; ", failed)}). Repeat the request.");
        }
    }
}
