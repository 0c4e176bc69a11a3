using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Replication;

/// <summary>
/// A <see cref="ComIOCluster"/> for site "east" that may replicate to the configured sites "west" and "north" (no
/// Redis: the nodes keep outbox entries without publishing them, which these API-level tests do not need).
/// </summary>
public sealed class ReplicationClusterFixture : IAsyncLifetime
{
    public ComIOCluster Cluster { get; } = new(new Dictionary<string, string>
    {
        ["Site:Name"] = "east",
        ["Replication:Sites:west:Endpoint"] = "http://127.0.0.1:9",
        ["Replication:Sites:north:Endpoint"] = "http://127.0.0.1:9",
    });

    public ValueTask InitializeAsync() => Cluster.InitializeAsync();

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
