using System.Net.Http.Json;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Configuration;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Nodes;

/// <summary>
/// POSTs a <see cref="ReplicationCompletion"/> (JSON) to <c>http://{node}/internal/v1/replication/complete</c> with the
/// cluster secret header; the node id resolves through service discovery (it is the node's Aspire resource name). Any
/// 2xx is success (the node answers 204, also when the entry was already recorded); anything else throws.
/// </summary>
public sealed class NodeCompletionReporter(HttpClient http, IOptions<LocalSiteOptions> site) : ICompletionReporter
{
    public const string HttpClientName = "comio-nodes";

    public async Task ReportAsync(string node, ReplicationCompletion completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{node}{ReplicationCompletion.Route}"))
        {
            Content = JsonContent.Create(completion, ContractsJsonContext.Default.ReplicationCompletion),
        };
        request.Headers.TryAddWithoutValidation(InternalApi.ClusterSecretHeader, site.Value.ClusterSecret);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"Node {node} answered {(int)response.StatusCode} to the replication completion: {body[..Math.Min(body.Length, 300)]}",
                null, response.StatusCode);
        }
    }
}
