using System.Globalization;
using ComIO.Contracts.Replication;
using ComIO.Storage;
using ComIO.StorageNode.Configuration;
using ComIO.StorageNode.Engines;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ComIO.StorageNode.Replication;

/// <summary>
/// Publishes every device's outbox entries to the site's replication stream (XADD). The outbox, not Redis, is the
/// record of what must be replicated: an entry stays until the worker reports it (<see cref="ReplicationEndpoints"/>),
/// so the relay publishes everything pending after a restart, keeps retrying with backoff while Redis is down, and
/// re-publishes entries that stayed pending longer than <see cref="RelayOptions.RepublishAfter"/> (at-least-once).
/// </summary>
public sealed class OutboxRelay(
    NodeEngines engines,
    IServiceProvider services,
    IOptions<NodeOptions> node,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Entries published by this process (sequence → when), per device; what is absent was never published here.</summary>
    private readonly List<Dictionary<long, DateTimeOffset>> _published = [];

    private long _publishedCount;

    /// <summary>Entries published so far by this process (including re-publications).</summary>
    public long PublishedCount => Interlocked.Read(ref _publishedCount);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IConnectionMultiplexer? redis = null;
        while (redis is null)
        {
            try
            {
                redis = services.GetService<IConnectionMultiplexer>();
                if (redis is null)
                {
                    logger.LogWarning("No Redis connection (ConnectionStrings:redis): replication outbox entries are kept but not published");
                    return;
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Redis unreachable while the node starts: the node serves anyway; entries wait in the outbox.
                logger.LogWarning("Replication relay cannot reach Redis yet ({Message}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken);
            }
        }

        while (!engines.IsOpen)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken);
        }

        var stream = new RedisKey(ReplicationStream.Name(node.Value.Site));
        var relays = engines.All.Select((engine, device) =>
        {
            _published.Add([]);
            return RelayDeviceAsync(redis, stream, engine, device, stoppingToken);
        }).ToList();
        await Task.WhenAll(relays);
    }

    private async Task RelayDeviceAsync(IConnectionMultiplexer redis, RedisKey stream, StorageEngine engine, int device, CancellationToken ct)
    {
        var published = _published[device];
        var cursor = 0L;
        var backoff = TimeSpan.FromMilliseconds(250);
        var nextSweep = time.GetUtcNow() + options.Value.RepublishAfter;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Read before the batch: every entry up to this sequence is already committed, so the batch sees all of
                // them that are still in the outbox.
                var committed = engine.LastOutboxSequence;
                var batch = engine.ReadOutbox(cursor, options.Value.RelayBatchSize);
                foreach (var entry in batch)
                {
                    if (!published.ContainsKey(entry.Sequence))
                    {
                        await PublishAsync(redis, stream, engine, device, entry);
                        published[entry.Sequence] = time.GetUtcNow();
                    }

                    cursor = entry.Sequence;
                }

                if (time.GetUtcNow() >= nextSweep)
                {
                    await SweepAsync(redis, stream, engine, device, published);
                    nextSweep = time.GetUtcNow() + SweepInterval;
                }

                backoff = TimeSpan.FromMilliseconds(250);
                if (batch.Count < options.Value.RelayBatchSize)
                {
                    // Nothing is left up to `committed` (the rest were delivered and removed): wait for a sequence above
                    // it. Waiting above the last entry read instead returns at once, forever, when the outbox's
                    // high-water mark is above every entry left (a restart after the outbox drained).
                    cursor = Math.Max(cursor, committed);
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    wait.CancelAfter(SweepInterval);
                    try
                    {
                        await engine.WaitForOutboxAsync(cursor, wait.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        // Time for a sweep.
                    }
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Redis down (the usual case) or a failed outbox commit: nothing is lost, the outbox keeps every entry.
                logger.LogWarning("Replication relay of device {Device} failed ({Message}); retrying in {Backoff}", device, e.Message, backoff);
                await Task.Delay(backoff, time, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private TimeSpan SweepInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, options.Value.RepublishAfter.Ticks / 4));

    /// <summary>
    /// Walks the whole outbox: entries published longer than RepublishAfter ago are published again; entries no longer
    /// in the outbox (reported by the worker) are forgotten.
    /// </summary>
    private async Task SweepAsync(IConnectionMultiplexer redis, RedisKey stream, StorageEngine engine, int device, Dictionary<long, DateTimeOffset> published)
    {
        var live = new HashSet<long>();
        var after = 0L;
        var due = time.GetUtcNow() - options.Value.RepublishAfter;
        var republished = 0;
        while (true)
        {
            var page = engine.ReadOutbox(after, 1000);
            foreach (var entry in page)
            {
                live.Add(entry.Sequence);
                if (published.TryGetValue(entry.Sequence, out var at) && at <= due)
                {
                    await PublishAsync(redis, stream, engine, device, entry);
                    published[entry.Sequence] = time.GetUtcNow();
                    republished++;
                }

                after = entry.Sequence;
            }

            if (page.Count < 1000)
            {
                break;
            }
        }

        foreach (var sequence in published.Keys.Where(s => !live.Contains(s)).ToList())
        {
            published.Remove(sequence);
        }

        if (republished > 0)
        {
            logger.LogInformation("Replication relay of device {Device}: re-published {Count} entries pending longer than {After}", device, republished, options.Value.RepublishAfter);
        }
    }

    private async Task PublishAsync(IConnectionMultiplexer redis, RedisKey stream, StorageEngine engine, int device, OutboxEntry entry)
    {
        var intent = ReplicationPayload.Decode(entry.Payload);
        var operation = entry.Operation switch
        {
            OutboxOperation.Put => ReplicationStream.OperationPut,
            OutboxOperation.Delete when entry.IsDeleteMarker => ReplicationStream.OperationDeleteMarker,
            _ => null,
        };
        if (intent is null || operation is null || entry.VersionId is null or "null")
        {
            // Not replicable (a permanent version delete, an unversioned change, a foreign payload): recorded as failed.
            logger.LogWarning("Outbox entry {Sequence} of device {Device} ({Operation} {Bucket}/{Key}) cannot be replicated; marking it FAILED", entry.Sequence, device, entry.Operation, entry.Bucket, entry.Key);
            await engine.CompleteReplicationAsync(entry.Sequence, entry.Bucket, entry.Key, entry.VersionId is "null" ? null : entry.VersionId, ReplicationStatus.Failed);
            return;
        }

        var fields = new List<NameValueEntry>
        {
            new(ReplicationStream.Node, node.Value.Id),
            new(ReplicationStream.Device, device.ToString(CultureInfo.InvariantCulture)),
            new(ReplicationStream.Sequence, entry.Sequence.ToString(CultureInfo.InvariantCulture)),
            new(ReplicationStream.Operation, operation),
            new(ReplicationStream.Bucket, entry.Bucket),
            new(ReplicationStream.Key, entry.Key),
            new(ReplicationStream.VersionId, entry.VersionId),
            new(ReplicationStream.Destinations, System.Text.Json.JsonSerializer.Serialize(intent.Destinations, ComIO.Contracts.Nodes.ContractsJsonContext.Default.ListReplicationDestination)),
            new(ReplicationStream.CreatedAt, entry.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
        };
        if (entry.ETag is not null)
        {
            fields.Add(new(ReplicationStream.ETag, $"\"{entry.ETag}\""));
        }

        if (intent.TraceParent is not null)
        {
            fields.Add(new(ReplicationStream.TraceParent, intent.TraceParent));
        }

        if (intent.TraceState is not null)
        {
            fields.Add(new(ReplicationStream.TraceState, intent.TraceState));
        }

        await redis.GetDatabase().StreamAddAsync(stream, [.. fields]);
        Interlocked.Increment(ref _publishedCount);
    }
}
