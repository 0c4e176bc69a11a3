namespace ComIO.ReplicationWorker.Telemetry;

/// <summary>One sample of a site's replication queue.</summary>
/// <param name="Depth">Entries not yet acknowledged by the group: pending (delivered, unacknowledged) plus lag (never delivered).</param>
/// <param name="OldestAge">Age of the oldest pending or undelivered entry (zero when the queue is empty).</param>
/// <param name="DeadLetterLength">Length of the dead-letter stream.</param>
public sealed record QueueSnapshot(string Site, long Depth, TimeSpan OldestAge, long DeadLetterLength);
