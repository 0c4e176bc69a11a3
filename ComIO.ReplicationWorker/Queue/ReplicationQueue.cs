using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker.Queue;

/// <summary>
/// The Redis commands of the worker on its site's stream <c>comio:replication:{site}</c> as consumer
/// <see cref="ConsumerName"/> of the group. A missing group (Redis restarted empty, or the stream was deleted) is
/// recreated on the spot (<c>XGROUP CREATE … 0 MKSTREAM</c>, reading from the beginning) whenever a command reports
/// <c>NOGROUP</c>; other Redis errors (Redis down) propagate for the caller to back off and retry. Thread-safe.
/// </summary>
public sealed class ReplicationQueue(IConnectionMultiplexer redis, IOptions<ReplicationWorkerOptions> options,
    IOptions<LocalSiteOptions> site, ILogger<ReplicationQueue> logger)
{
    /// <summary>Unique per process, so a restarted worker never inherits a dead one's pending entries implicitly.</summary>
    public string ConsumerName { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public string StreamName { get; } = ReplicationStream.Name(site.Value.Name);

    public string DeadLetterName { get; } = ReplicationStream.DeadLetterName(site.Value.Name);

    private string Group => options.Value.ConsumerGroup;

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Creates the stream and the group if missing (idempotent: an existing group is left as it is).</summary>
    public async Task EnsureGroupAsync()
    {
        try
        {
            await Database.StreamCreateConsumerGroupAsync(StreamName, Group, "0", createStream: true);
            logger.LogInformation("Created consumer group {Group} on {Stream}", Group, StreamName);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Already there.
        }
    }

    /// <summary>Reads up to <paramref name="count"/> entries never delivered to the group (<c>XREADGROUP … &gt;</c>).</summary>
    public async Task<IReadOnlyList<DeliveredEntry>> ReadNewAsync(int count)
    {
        try
        {
            var entries = await Database.StreamReadGroupAsync(StreamName, Group, ConsumerName, StreamPosition.NewMessages, count);
            return entries.Select(e => ToEntry(e, deliveryCount: 1)).ToList();
        }
        catch (RedisServerException e) when (IsNoGroup(e))
        {
            await RecoverGroupAsync();
            return [];
        }
    }

    /// <summary>
    /// Claims entries pending longer than <paramref name="minIdle"/> on any consumer (<c>XAUTOCLAIM</c> from
    /// <paramref name="cursor"/>), with their delivery counts (raised by the claim). Returns the next cursor
    /// (<c>0-0</c> once the whole pending list was scanned).
    /// </summary>
    public async Task<(IReadOnlyList<DeliveredEntry> Entries, string NextCursor)> ClaimIdleAsync(TimeSpan minIdle, int count, string cursor)
    {
        try
        {
            var db = Database;
            var result = await db.StreamAutoClaimAsync(StreamName, Group, ConsumerName, (long)minIdle.TotalMilliseconds, cursor, count);
            if (result.IsNull || result.ClaimedEntries.Length == 0)
            {
                return ([], result.IsNull ? "0-0" : result.NextStartId.ToString());
            }

            var claimed = result.ClaimedEntries.Where(e => !e.IsNull).ToArray();
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            if (claimed.Length > 0)
            {
                var pending = await db.StreamPendingMessagesAsync(StreamName, Group, claimed.Length, ConsumerName,
                    claimed[0].Id, claimed[^1].Id);
                foreach (var info in pending)
                {
                    counts[info.MessageId.ToString()] = info.DeliveryCount;
                }
            }

            var entries = claimed.Select(e => ToEntry(e, Math.Max(2, counts.GetValueOrDefault(e.Id.ToString(), 2)))).ToList();
            return (entries, result.NextStartId.ToString());
        }
        catch (RedisServerException e) when (IsNoGroup(e))
        {
            await RecoverGroupAsync();
            return ([], "0-0");
        }
    }

    /// <summary>
    /// Resets the idle time of an entry this worker is still working on (<c>XCLAIM … 0 JUSTID</c>, which does not raise
    /// its delivery count), so other workers do not claim it while it is in progress. Should another worker have claimed
    /// it anyway (this one stalled for longer than ClaimIdleTime), this takes it back and both apply it: harmless, since
    /// applying an entry is idempotent and the node accepts a completion twice.
    /// </summary>
    public async Task KeepAliveAsync(string id)
    {
        try
        {
            await Database.StreamClaimIdsOnlyAsync(StreamName, Group, ConsumerName, 0, [id]);
        }
        catch (RedisServerException e) when (IsNoGroup(e))
        {
            // The group is gone (Redis restarted empty); the read loop recreates it. Nothing to keep alive.
        }
    }

    /// <summary>
    /// Acknowledges an entry (<c>XACK</c>) and removes it from the stream (<c>XDEL</c>): the site's workers are the
    /// stream's only consumer group and the node's outbox, not the stream, records what remains to be replicated, so
    /// a handled entry is of no further use and the stream stays as long as the backlog. An entry the group no longer
    /// has is already acknowledged.
    /// </summary>
    public async Task AcknowledgeAsync(string id)
    {
        try
        {
            await Database.StreamAcknowledgeAsync(StreamName, Group, id);
            await Database.StreamDeleteAsync(StreamName, [id]);
        }
        catch (RedisServerException e) when (IsNoGroup(e))
        {
            // Nothing to acknowledge any more.
        }
    }

    /// <summary>Appends <paramref name="entry"/>'s fields plus the failure to the dead-letter stream (<c>XADD</c>).</summary>
    public async Task DeadLetterAsync(DeliveredEntry entry, string error, int attempts, DateTimeOffset failedAt)
    {
        var fields = entry.Fields
            .Where(f => f.Key is not (ReplicationStream.Error or ReplicationStream.Attempts or ReplicationStream.FailedAt))
            .Select(f => new NameValueEntry(f.Key, f.Value))
            .Append(new NameValueEntry(ReplicationStream.Error, error))
            .Append(new NameValueEntry(ReplicationStream.Attempts, attempts))
            .Append(new NameValueEntry(ReplicationStream.FailedAt, failedAt.UtcDateTime.ToString("O")))
            .ToArray();
        await Database.StreamAddAsync(DeadLetterName, fields);
    }

    /// <summary>Queue depth (pending + lag), age of the oldest unacknowledged entry and the dead-letter length.</summary>
    public async Task<QueueSnapshot> SampleAsync(string site, DateTimeOffset now)
    {
        var db = Database;
        var deadLetters = await db.StreamLengthAsync(DeadLetterName);
        if (!await db.KeyExistsAsync(StreamName))
        {
            return new QueueSnapshot(site, 0, TimeSpan.Zero, deadLetters);
        }

        var group = (await db.StreamGroupInfoAsync(StreamName)).FirstOrDefault(g => g.Name == Group);
        if (group.Name is null)
        {
            var length = await db.StreamLengthAsync(StreamName);
            var first = await db.StreamRangeAsync(StreamName, "-", "+", 1);
            return new QueueSnapshot(site, length, Age(first.FirstOrDefault().Id, now), deadLetters);
        }

        var lag = group.Lag ?? 0;
        DateTimeOffset? oldest = null;
        if (group.PendingMessageCount > 0)
        {
            var pending = await db.StreamPendingAsync(StreamName, Group);
            oldest = StreamIds.TimeOf(pending.LowestPendingMessageId.ToString());
        }

        if (lag > 0)
        {
            var undelivered = await db.StreamRangeAsync(StreamName, "(" + group.LastDeliveredId, "+", 1);
            if (undelivered.Length > 0 && StreamIds.TimeOf(undelivered[0].Id.ToString()) is { } next && (oldest is null || next < oldest))
            {
                oldest = next;
            }
        }

        var age = oldest is { } since && now > since ? now - since : TimeSpan.Zero;
        return new QueueSnapshot(site, group.PendingMessageCount + lag, age, deadLetters);
    }

    private static TimeSpan Age(RedisValue id, DateTimeOffset now) =>
        StreamIds.TimeOf(id.ToString()) is { } since && now > since ? now - since : TimeSpan.Zero;

    private async Task RecoverGroupAsync()
    {
        logger.LogWarning("Consumer group {Group} on {Stream} is missing (Redis restarted empty?); recreating it", Group, StreamName);
        await EnsureGroupAsync();
    }

    private static bool IsNoGroup(RedisServerException e) => e.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    private static DeliveredEntry ToEntry(StackExchange.Redis.StreamEntry entry, int deliveryCount) =>
        new(entry.Id.ToString(),
            entry.Values.Select(v => new KeyValuePair<string, string>(v.Name.ToString(), v.Value.ToString())).ToList(),
            deliveryCount);
}
