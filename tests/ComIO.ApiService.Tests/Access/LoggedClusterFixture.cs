using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>A <see cref="ComIOCluster"/> whose API service and storage nodes log into <see cref="Logs"/> (with their shipped log levels).</summary>
public sealed class LoggedClusterFixture : IAsyncLifetime
{
    public LoggedClusterFixture() => Cluster = new ComIOCluster(Logs);

    public CapturingLoggerProvider Logs { get; } = new();

    public ComIOCluster Cluster { get; }

    public ValueTask InitializeAsync() => Cluster.InitializeAsync();

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
