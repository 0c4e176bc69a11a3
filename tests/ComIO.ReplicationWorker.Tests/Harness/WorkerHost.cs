using ComIO.ReplicationWorker.Hosting;
using ComIO.ReplicationWorker.Nodes;
using ComIO.ReplicationWorker.Processing;
using ComIO.ReplicationWorker.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>
/// The worker's real composition (<see cref="ReplicationWorkerComposition"/>) on a real Redis, with the S3 side and the
/// node replaced by <see cref="IEntryApplier"/> and <see cref="ICompletionReporter"/> fakes. Fast timings by default
/// (10 ms backoff, 1 s claim idle time, 3 attempts, no minimum retry time).
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    public const string Site = "east";

    private readonly IHost _host;
    private readonly ConnectionMultiplexer _redis;

    private WorkerHost(IHost host, ConnectionMultiplexer redis)
    {
        _host = host;
        _redis = redis;
    }

    public IServiceProvider Services => _host.Services;

    public ReplicationQueue Queue => _host.Services.GetRequiredService<ReplicationQueue>();

    /// <param name="applier">Replaces the S3 side, or null for the real one (S3 endpoints from <paramref name="overrides"/>).</param>
    /// <param name="reporter">Replaces the node reporter, or null for the real one (node addresses through service discovery).</param>
    public static async Task<WorkerHost> CreateAsync(RedisServer redis, IEntryApplier? applier, ICompletionReporter? reporter,
        Dictionary<string, string?>? overrides = null, bool start = true)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Site:Name"] = Site,
            ["Cluster:Secret"] = "cluster-secret",
            ["Replication:SourceEndpoint"] = "http://127.0.0.1:9",
            ["Replication:AccessKey"] = "access",
            ["Replication:SecretKey"] = "secret",
            ["Replication:InitialBackoff"] = "10ms",
            ["Replication:MaxBackoff"] = "40ms",
            ["Replication:MinRetryTime"] = "0s",
            ["Replication:ClaimIdleTime"] = "1s",
            ["Replication:MaxAttempts"] = "3",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddMetrics();
        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        builder.Services.AddReplicationWorker();
        var connection = await redis.ConnectAsync();
        builder.Services.AddSingleton<IConnectionMultiplexer>(connection);
        if (applier is not null)
        {
            builder.Services.AddSingleton(applier);
        }

        if (reporter is not null)
        {
            builder.Services.AddSingleton(reporter);
        }

        var host = builder.Build();
        if (start)
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }

        return new WorkerHost(host, connection);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
        await _redis.DisposeAsync();
    }
}
