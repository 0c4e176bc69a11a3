using System.Net.Http.Json;
using ComIO.Contracts.Nodes;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>
/// A <see cref="ComIOCluster"/> whose storage nodes evaluate lifecycle rules <see cref="TimeOffsetDays"/> days ahead of
/// the real clock (<c>Lifecycle:TimeOffset</c>), with no scheduled scans and no throttling: tests trigger scans with
/// <see cref="RunLifecycleAsync"/> (<c>POST /internal/v1/lifecycle/run</c> on every node, with the cluster secret).
/// </summary>
public sealed class LifecycleClusterFixture : IAsyncLifetime
{
    public const int TimeOffsetDays = 3;

    public ComIOCluster Cluster { get; } = new(
        new Dictionary<string, string>(),
        new Dictionary<string, string>
        {
            ["Lifecycle:TimeOffset"] = $"{TimeOffsetDays}.00:00:00",
            ["Lifecycle:ScanInterval"] = "00:00:00",
            ["Lifecycle:MaxOperationsPerSecond"] = "0",
        });

    public ValueTask InitializeAsync() => Cluster.InitializeAsync();

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    /// <summary>Runs a lifecycle scan on every node and returns the summed counts.</summary>
    public async Task<LifecycleRunSummary> RunLifecycleAsync(CancellationToken ct)
    {
        var total = new LifecycleRunSummary(0, 0, 0, 0, 0, 0);
        foreach (var node in Cluster.NodeAddresses)
        {
            using var http = new HttpClient { BaseAddress = node };
            using var request = new HttpRequestMessage(HttpMethod.Post, InternalApi.LifecycleRun());
            request.Headers.Add(InternalApi.ClusterSecretHeader, ComIOCluster.ClusterSecret);
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            var summary = (await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.LifecycleRunSummary, ct))!;
            total = new LifecycleRunSummary(
                total.ObjectsScanned + summary.ObjectsScanned, total.CurrentExpired + summary.CurrentExpired, total.NoncurrentExpired + summary.NoncurrentExpired,
                total.DeleteMarkersRemoved + summary.DeleteMarkersRemoved, total.UploadsAborted + summary.UploadsAborted, total.BytesFreed + summary.BytesFreed);
        }

        return total;
    }
}
