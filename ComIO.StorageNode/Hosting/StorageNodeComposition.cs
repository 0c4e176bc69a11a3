using System.Text;
using ComIO.Contracts.Nodes;
using ComIO.StorageNode.Configuration;
using ComIO.StorageNode.Endpoints;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Health;
using ComIO.StorageNode.Lifecycle;
using ComIO.StorageNode.Replication;
using ComIO.StorageNode.Scrubbing;
using ComIO.StorageNode.Telemetry;

namespace ComIO.StorageNode.Hosting;

/// <summary>
/// Composes the storage node: its engines, scrubber, health checks and metrics, and the authenticated internal API.
/// Used by the node's <c>Program</c> and by any host that embeds a node (e.g. <c>comio server</c>).
/// </summary>
public static class StorageNodeComposition
{
    /// <summary>Registers the node's services. Requires <c>Cluster:Secret</c> and the storage devices.</summary>
    public static WebApplicationBuilder AddComIOStorageNode(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        builder.Services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.SectionName);
        builder.Services.AddSingleton<NodeEngines>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeEngines>());
        builder.Services.AddHealthChecks().AddCheck<DeviceHealthCheck>("devices");
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ScrubState>();
        builder.Services.AddSingleton<NodeScrubber>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeScrubber>());
        builder.Services.AddOptions<LifecycleOptions>().BindConfiguration(LifecycleOptions.SectionName);
        builder.Services.AddSingleton<LifecycleState>();
        builder.Services.AddSingleton<NodeLifecycleService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeLifecycleService>());
        builder.Services.AddSingleton<NodeMetrics>();
        builder.Services.AddOptions<RelayOptions>().Configure<IConfiguration>((relay, configuration) => relay.Read(configuration.GetSection(RelayOptions.SectionName)));
        builder.Services.AddSingleton<OutboxRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxRelay>());
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("redis")))
        {
            builder.AddRedisClient("redis");
        }

        var clusterSecret = builder.Configuration["Cluster:Secret"];
        if (string.IsNullOrEmpty(clusterSecret))
        {
            throw new InvalidConfigurationException("Cluster:Secret (cluster.secret) is required: the internal API is never open without it.");
        }
        return builder;
    }

    /// <summary>Maps the internal API under <see cref="InternalApi.Prefix"/>, every route behind the cluster-secret filter.</summary>
    public static WebApplication MapComIOStorageNode(this WebApplication app)
    {
        app.Services.GetRequiredService<NodeMetrics>();
        app.MapGroup(InternalApi.Prefix)
            .AddEndpointFilter(new ClusterSecretFilter(Encoding.UTF8.GetBytes(app.Configuration["Cluster:Secret"]!)))
            .MapBucketEndpoints()
            .MapObjectEndpoints()
            .MapTaggingEndpoints()
            .MapDocumentEndpoints()
            .MapMultipartEndpoints()
            .MapMaintenanceEndpoints()
            .MapLifecycleEndpoints()
            .MapReplicationEndpoints();
        return app;
    }
}
