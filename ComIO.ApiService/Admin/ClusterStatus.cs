using ComIO.ApiService.Configuration;
using ComIO.ApiService.Nodes;
using ComIO.Contracts.Nodes;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Admin;

/// <summary>Builds <see cref="ClusterStatusView"/> by asking every node of the site for its stats in parallel.</summary>
public static class ClusterStatus
{
    public static async Task<IResult> GetAsync(ClusterNodes cluster, IHttpClientFactory clients, IOptions<S3Options> s3, IConfiguration configuration, CancellationToken ct)
    {
        var http = clients.CreateClient(StorageNodeClient.HttpClientName);
        var nodes = await Task.WhenAll(cluster.All.Select(async node =>
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var stats = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync(http, new Uri(node.BaseAddress, InternalApi.Stats()), ContractsJsonContext.Default.NodeStats, timeout.Token);
                return new NodeStatusView(node.Id, true, stats!.Healthy, stats.CapacityBytes, stats.UsedBytes, stats.FreeBytes, stats.ObjectCount, stats.ChecksumFailures, null);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                return new NodeStatusView(node.Id, false, false, 0, 0, 0, 0, 0, e.Message);
            }
        }));

        var view = new ClusterStatusView(
            configuration["Site:Name"] ?? "default",
            s3.Value.Region,
            nodes.Sum(n => n.CapacityBytes),
            nodes.Sum(n => n.UsedBytes),
            nodes.Sum(n => n.FreeBytes),
            nodes);
        return Results.Json(view, AdminJsonContext.Default.ClusterStatusView);
    }
}
