using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Processing;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Queue;

/// <summary>
/// Every half <c>ClaimIdleTime</c>, claims entries that have been pending without progress for <c>ClaimIdleTime</c>
/// (their worker died: live workers keep theirs fresh) with <c>XAUTOCLAIM</c>, as many as there are free slots, and
/// hands them to the <see cref="EntryDispatcher"/> with their raised delivery counts. Errors are logged and retried on
/// the next round.
/// </summary>
public sealed class PendingClaimer(ReplicationQueue queue, EntryDispatcher dispatcher, IOptions<ReplicationWorkerOptions> options,
    ILogger<PendingClaimer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = options.Value.ClaimIdleTime;
        var interval = TimeSpan.FromTicks(Math.Max(idle.Ticks / 2, TimeSpan.FromMilliseconds(200).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stoppingToken);
                await ClaimRoundAsync(idle, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("Claiming idle entries of {Stream} failed ({Error}); retrying in {Interval}", queue.StreamName, e.Message, interval);
            }
        }
    }

    /// <summary>One pass over the group's pending list, claiming while slots are free.</summary>
    public async Task ClaimRoundAsync(TimeSpan minIdle, CancellationToken cancellationToken)
    {
        var cursor = "0-0";
        do
        {
            var free = dispatcher.TryReserveAll();
            if (free == 0)
            {
                return;
            }

            IReadOnlyList<DeliveredEntry> entries;
            try
            {
                (entries, cursor) = await queue.ClaimIdleAsync(minIdle, free, cursor);
            }
            catch
            {
                dispatcher.Release(free);
                throw;
            }

            foreach (var entry in entries)
            {
                logger.LogInformation("Claimed idle replication entry {EntryId} (delivery {DeliveryCount})", entry.Id, entry.DeliveryCount);
                dispatcher.Start(entry, cancellationToken);
                free--;
            }

            dispatcher.Release(free);
        }
        while (cursor != "0-0");
    }
}
