using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.Nodes;
using ComIO.ReplicationWorker.Processing;
using ComIO.ReplicationWorker.Queue;
using ComIO.ReplicationWorker.S3;
using ComIO.ReplicationWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Hosting;

/// <summary>
/// The worker's services: options (read and validated at start-up), the S3 source and destinations, the node reporter,
/// the entry pipeline and the three background loops (consumer, claimer, queue metrics). Needs an
/// <c>IConnectionMultiplexer</c> (Aspire's <c>AddRedisClient("redis")</c>).
/// </summary>
public static class ReplicationWorkerComposition
{
    public static IServiceCollection AddReplicationWorker(this IServiceCollection services)
    {
        services.AddOptions<ReplicationWorkerOptions>()
            .Configure<IConfiguration>((options, configuration) => ReplicationWorkerOptionsReader.Read(configuration, options))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplicationWorkerOptions>, ReplicationWorkerOptionsValidator>();
        services.AddOptions<LocalSiteOptions>()
            .Configure<IConfiguration>((options, configuration) => LocalSiteOptions.Read(configuration, options))
            .Validate(options => !string.IsNullOrWhiteSpace(options.ClusterSecret), "Cluster:Secret is required (the storage nodes' shared secret).")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ReplicationTelemetry>();
        services.AddSingleton(sp => new RetryPolicy(sp.GetRequiredService<IOptions<ReplicationWorkerOptions>>().Value));

        services.AddSingleton<S3ClientFactory>();
        services.AddSingleton<ISourceReader, S3SourceReader>();
        services.AddSingleton<IReplicaTargets, S3ReplicaTargets>();
        services.AddSingleton<MultipartCopier>();
        services.AddSingleton<ObjectCopier>();
        services.AddSingleton<IEntryApplier, EntryApplier>();

        // Retries are the processor's (per entry, with backoff), so no resilience handler; service discovery comes from
        // the service defaults for every HttpClient.
        services.AddHttpClient(NodeCompletionReporter.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<ICompletionReporter, NodeCompletionReporter>();

        services.AddSingleton<ReplicationQueue>();
        services.AddSingleton<EntryProcessor>();
        services.AddSingleton<EntryDispatcher>();
        services.AddHostedService<StreamConsumer>();
        services.AddHostedService<PendingClaimer>();
        services.AddHostedService<QueueMetricsSampler>();
        return services;
    }
}
