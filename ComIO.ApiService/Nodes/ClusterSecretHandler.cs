using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Nodes;

/// <summary>Adds the cluster secret to every request the API service sends to a storage node.</summary>
public sealed class ClusterSecretHandler(string secret) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(InternalApi.ClusterSecretHeader);
        request.Headers.TryAddWithoutValidation(InternalApi.ClusterSecretHeader, secret);
        return base.SendAsync(request, cancellationToken);
    }
}
