using ComIO.ReplicationWorker.Configuration;

namespace ComIO.ReplicationWorker.Processing;

/// <summary>
/// Backoff and give-up rules. Backoff is exponential with full jitter: before attempt <c>n + 1</c> the worker waits a
/// uniformly random time in [0, min(MaxBackoff, InitialBackoff · 2^(n-1))]. An entry is given up (dead-lettered) only
/// when both its attempts (earlier deliveries included) reached <c>MaxAttempts</c> and it has been in the stream for at
/// least <c>MinRetryTime</c>: the attempt count stops a poison entry, the time floor keeps a short destination outage
/// (a few minutes) from dead-lettering whatever the random delays add up to. Thread-safe.
/// </summary>
public sealed class RetryPolicy(ReplicationWorkerOptions options)
{
    /// <summary>The upper bound of the wait after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan BackoffCap(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 62);
        var cap = options.InitialBackoff.Ticks * Math.Pow(2, exponent);
        return cap >= options.MaxBackoff.Ticks ? options.MaxBackoff : TimeSpan.FromTicks((long)cap);
    }

    /// <summary>A random wait in [0, <see cref="BackoffCap"/>] (full jitter).</summary>
    public TimeSpan Backoff(int attempt) => TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * BackoffCap(attempt).Ticks));

    /// <summary>
    /// True when an entry whose attempt <paramref name="attempt"/> just failed must be dead-lettered; its age is measured
    /// from <paramref name="enqueuedAt"/> (unknown counts as old enough).
    /// </summary>
    public bool ShouldGiveUp(int attempt, DateTimeOffset? enqueuedAt, DateTimeOffset now) =>
        attempt >= options.MaxAttempts && (enqueuedAt is not { } since || now - since >= options.MinRetryTime);
}
