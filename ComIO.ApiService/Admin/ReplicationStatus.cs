using StackExchange.Redis;

namespace ComIO.ApiService.Admin;

/// <summary>
/// Builds <see cref="ReplicationStatusView"/> from the site's Redis stream <c>comio:replication:{site}</c>: its length
/// and, per consumer group, pending entries and lag. Reports <c>Configured = false</c> when the service has no Redis.
/// </summary>
public static class ReplicationStatus
{
    public static async Task<IResult> GetAsync(IServiceProvider services, IConfiguration configuration)
    {
        var stream = ComIO.Contracts.Replication.ReplicationStream.Name(configuration["Site:Name"] ?? "local");
        var redis = services.GetService<IConnectionMultiplexer>();
        if (redis is null)
        {
            return Json(new ReplicationStatusView(false, stream, 0, [], "No Redis connection is configured for this API service."));
        }

        try
        {
            var db = redis.GetDatabase();
            if (!await db.KeyExistsAsync(stream))
            {
                return Json(new ReplicationStatusView(true, stream, 0, [], null));
            }

            var length = await db.StreamLengthAsync(stream);
            var groups = await db.StreamGroupInfoAsync(stream);
            var views = groups.Select(g => new ReplicationGroupView(g.Name, g.PendingMessageCount, g.ConsumerCount, g.LastDeliveredId, g.Lag)).ToList();
            var deadLetters = await db.StreamLengthAsync(ComIO.Contracts.Replication.ReplicationStream.DeadLetterName(configuration["Site:Name"] ?? "local"));
            return Json(new ReplicationStatusView(true, stream, length, views, null, deadLetters));
        }
        catch (RedisException e)
        {
            return Json(new ReplicationStatusView(true, stream, 0, [], e.Message));
        }
    }

    private static IResult Json(ReplicationStatusView view) => Results.Json(view, AdminJsonContext.Default.ReplicationStatusView);
}
