using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker;

/// <summary>
/// Ensures the site's replication stream and the workers' consumer group exist in Redis (idempotent), so storage
/// nodes can publish to it. Copying entries to other sites is not implemented yet (see the README's feature table).
/// </summary>
public sealed class ReplicationStreamSetup(IConnectionMultiplexer redis, IConfiguration configuration, IOptions<ReplicationWorkerOptions> options, ILogger<ReplicationStreamSetup> logger) : BackgroundService
{
    public static string StreamName(string site) => $"comio:replication:{site}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var site = configuration["Site:Name"] ?? "local";
        var stream = StreamName(site);
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var db = redis.GetDatabase();
                if (!await db.KeyExistsAsync(stream) || (await db.StreamGroupInfoAsync(stream)).All(g => g.Name != options.Value.ConsumerGroup))
                {
                    await db.StreamCreateConsumerGroupAsync(stream, options.Value.ConsumerGroup, StreamPosition.Beginning, createStream: true);
                }

                logger.LogInformation("Replication stream {Stream} and group {Group} ready", stream, options.Value.ConsumerGroup);
                return;
            }
            catch (RedisException e)
            {
                logger.LogWarning(e, "Redis not ready for {Stream}; retrying in {Delay}", stream, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }
}
