using System.Diagnostics;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Nodes;
using ComIO.ReplicationWorker.Queue;
using ComIO.ReplicationWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Processing;

/// <summary>
/// Takes one delivered entry to its end. Invariants: an entry is acknowledged (XACK) only after its node accepted the
/// outcome (COMPLETED, or FAILED after the entry was written to the dead-letter stream); until then it stays pending in
/// the group, kept alive (<see cref="ReplicationQueue.KeepAliveAsync"/>) so no other worker claims it while this one
/// works, and reclaimed by another worker if this process dies. Attempts count from the entry's delivery count, so
/// deliveries that died mid-way count too. Only cancellation (shutdown) escapes; every other error is retried.
/// </summary>
public sealed class EntryProcessor(ReplicationQueue queue, IEntryApplier applier, ICompletionReporter reporter, RetryPolicy policy,
    ReplicationTelemetry telemetry, TimeProvider time, IOptions<ReplicationWorkerOptions> options, ILogger<EntryProcessor> logger)
{
    public async Task ProcessAsync(DeliveredEntry delivered, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var entry = ReplicationEntry.Parse(delivered);
        using var activity = StartActivity(entry);
        using var scope = logger.BeginScope("Replication entry {EntryId} {Operation} {Bucket}/{Key} {VersionId}",
            entry.Id, entry.Operation, entry.Bucket, entry.Key, entry.VersionId);
        // Stopped by disposing its timer, not by cancelling it: a cancelled wait throws, and this runs once per entry.
        using var keepAliveTimer = new PeriodicTimer(options.Value.ClaimIdleTime / 3, time);
        using var stopOnShutdown = cancellationToken.Register(keepAliveTimer.Dispose);
        var keepAlive = KeepAliveAsync(delivered.Id, keepAliveTimer);
        try
        {
            string result;
            if (entry.Problem is { } problem)
            {
                await GiveUpAsync(delivered, entry, delivered.DeliveryCount, $"invalid entry: {problem}", cancellationToken);
                result = "dead-letter";
            }
            else if (await ApplyWithRetriesAsync(delivered, entry, cancellationToken) is { } failure)
            {
                await GiveUpAsync(delivered, entry, failure.Attempts, failure.Error, cancellationToken);
                result = "dead-letter";
            }
            else
            {
                await ReportAsync(entry, ReplicationCompletion.StatusCompleted, cancellationToken);
                await UntilDoneAsync("acknowledge", () => queue.AcknowledgeAsync(delivered.Id), cancellationToken);
                result = "completed";
            }

            activity?.SetTag("comio.replication.result", result);
            if (result != "completed")
            {
                activity?.SetStatus(ActivityStatusCode.Error, "dead-lettered");
            }

            telemetry.RecordDuration(Stopwatch.GetElapsedTime(started), entry.Operation, result);
        }
        finally
        {
            keepAliveTimer.Dispose();
            await keepAlive;
        }
    }

    /// <summary>Applies the entry until it succeeds (null) or the policy gives up (the last error and the attempts used).</summary>
    private async Task<(string Error, int Attempts)?> ApplyWithRetriesAsync(DeliveredEntry delivered, ReplicationEntry entry, CancellationToken cancellationToken)
    {
        for (var attempt = Math.Max(1, delivered.DeliveryCount); ; attempt++)
        {
            try
            {
                await applier.ApplyAsync(entry, cancellationToken);
                return null;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                telemetry.RecordFailure((e as DestinationFailedException)?.Site, entry.Operation);
                if (IsPermanent(e) || policy.ShouldGiveUp(attempt, delivered.EnqueuedAt, time.GetUtcNow()))
                {
                    logger.LogError(e, "Replication of entry {EntryId} failed on attempt {Attempt}; giving up", entry.Id, attempt);
                    return (e.Message, attempt);
                }

                var delay = policy.Backoff(attempt);
                logger.LogWarning("Replication of entry {EntryId} failed on attempt {Attempt} ({Error}); retrying in {Delay}",
                    entry.Id, attempt, e.Message, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>Dead-letters the entry, reports FAILED to its node (when the entry names one) and acknowledges it.</summary>
    private async Task GiveUpAsync(DeliveredEntry delivered, ReplicationEntry entry, int attempts, string error, CancellationToken cancellationToken)
    {
        var failedAt = time.GetUtcNow();
        await UntilDoneAsync("dead-letter", () => queue.DeadLetterAsync(delivered, error, attempts, failedAt), cancellationToken);
        telemetry.RecordDeadLetter(entry.Operation);
        logger.LogError("Replication entry {EntryId} moved to {DeadLetterStream} after {Attempts} attempts: {Error}",
            entry.Id, queue.DeadLetterName, attempts, error);
        await ReportAsync(entry, ReplicationCompletion.StatusFailed, cancellationToken);
        await UntilDoneAsync("acknowledge", () => queue.AcknowledgeAsync(delivered.Id), cancellationToken);
    }

    private async Task ReportAsync(ReplicationEntry entry, string status, CancellationToken cancellationToken)
    {
        if (!entry.CanReport)
        {
            logger.LogWarning("Replication entry {EntryId} names no node/device/sequence; its outcome {Status} cannot be reported", entry.Id, status);
            return;
        }

        var completion = new ReplicationCompletion(entry.Device, entry.Sequence, entry.Bucket!, entry.Key!, entry.VersionId, status);
        await UntilDoneAsync($"report {status} to {entry.Node}", () => reporter.ReportAsync(entry.Node!, completion, cancellationToken), cancellationToken);
    }

    /// <summary>Retries <paramref name="action"/> with backoff until it succeeds; only cancellation stops it.</summary>
    private async Task UntilDoneAsync(string what, Func<Task> action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var delay = policy.Backoff(attempt);
                logger.LogWarning("Could not {Action} ({Error}); retrying in {Delay}", what, e.Message, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>Resets the entry's idle time at every tick of <paramref name="timer"/> until it is disposed; never throws.</summary>
    private async Task KeepAliveAsync(string id, PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
        {
            try
            {
                await queue.KeepAliveAsync(id);
            }
            catch (Exception e)
            {
                logger.LogDebug("Could not keep entry {EntryId} claimed: {Error}", id, e.Message);
            }
        }
    }

    /// <summary>Starts the entry's activity as a child of the trace that made the change (its <c>traceparent</c>), if valid.</summary>
    private static Activity? StartActivity(ReplicationEntry entry)
    {
        ActivityContext.TryParse(entry.TraceParent, entry.TraceState, isRemote: true, out var parent);
        var activity = ReplicationTelemetry.ActivitySource.StartActivity($"replicate {entry.Operation}", ActivityKind.Consumer, parent);
        activity?.SetTag("comio.replication.entry", entry.Id);
        activity?.SetTag("comio.bucket", entry.Bucket);
        activity?.SetTag("comio.key", entry.Key);
        activity?.SetTag("comio.version_id", entry.VersionId);
        activity?.SetTag("comio.replication.destinations", string.Join(',', entry.Destinations.Select(d => d.Site)));
        if (entry.CreatedAt is { } created)
        {
            activity?.SetTag("comio.replication.created", created.UtcDateTime.ToString("O"));
        }

        return activity;
    }

    private static bool IsPermanent(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is PermanentReplicationException)
            {
                return true;
            }
        }

        return false;
    }
}
