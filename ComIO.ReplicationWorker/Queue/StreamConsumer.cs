using ComIO.ReplicationWorker.Processing;

namespace ComIO.ReplicationWorker.Queue;

/// <summary>
/// Reads new entries (<c>XREADGROUP … &gt;</c>) as slots free up and hands them to the <see cref="EntryDispatcher"/>.
/// Creates the group at start and whenever Redis lost it; while Redis is unreachable it retries with backoff, never
/// exits before shutdown. On shutdown it stops reading and waits for the entries in flight to stop.
/// </summary>
public sealed class StreamConsumer(ReplicationQueue queue, EntryDispatcher dispatcher, RetryPolicy policy, ILogger<StreamConsumer> logger)
    : BackgroundService
{
    /// <summary>Pause between reads that found nothing (StackExchange.Redis does not block on XREADGROUP).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Replication worker {Consumer} reading {Stream}", queue.ConsumerName, queue.StreamName);
        var groupReady = false;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var reserved = 0;
            try
            {
                if (!groupReady)
                {
                    await queue.EnsureGroupAsync();
                    groupReady = true;
                }

                reserved = await dispatcher.ReserveAsync(stoppingToken);
                var entries = await queue.ReadNewAsync(reserved);
                failures = 0;
                foreach (var entry in entries)
                {
                    dispatcher.Start(entry, stoppingToken);
                    reserved--;
                }

                dispatcher.Release(reserved);
                reserved = 0;
                if (entries.Count == 0)
                {
                    await Task.Delay(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                dispatcher.Release(reserved);
                break;
            }
            catch (Exception e)
            {
                dispatcher.Release(reserved);
                failures++;
                var delay = policy.Backoff(failures) + TimeSpan.FromMilliseconds(100);
                logger.LogWarning("Reading {Stream} failed ({Error}); retrying in {Delay}", queue.StreamName, e.Message, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await dispatcher.WhenIdleAsync();
    }
}
