using Aspire.Hosting.Testing;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>
/// Triggers the lifecycle scanner of every storage node of the topology (<c>POST /internal/v1/lifecycle/run</c> with the
/// cluster secret, as the API service calls the internal API) and waits for each scan to finish. The nodes see the clock
/// <see cref="TopologyFixture.LifecycleTimeOffset"/> ahead, so rules with day counts below 10 are due.
/// </summary>
public static class LifecycleRuns
{
    public static async Task RunOnEveryNodeAsync(TopologyFixture topology, CancellationToken ct)
    {
        foreach (var node in new[] { $"{TopologyFixture.Site}-node1", $"{TopologyFixture.Site}-node2" })
        {
            using var http = new HttpClient { BaseAddress = topology.App.GetEndpoint(node, "http"), Timeout = TimeSpan.FromMinutes(2) };
            using var run = new HttpRequestMessage(HttpMethod.Post, "/internal/v1/lifecycle/run");
            run.Headers.Add("X-ComIO-Cluster-Secret", TopologyFixture.ClusterSecret);
            using var response = await http.SendAsync(run, ct);
            Assert.True(response.IsSuccessStatusCode, $"{node}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
    }
}
