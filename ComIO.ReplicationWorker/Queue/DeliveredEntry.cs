namespace ComIO.ReplicationWorker.Queue;

/// <summary>
/// One entry as delivered by the consumer group: its stream id, its fields in order, and how many times the group has
/// delivered it so far (1 for a first read; XAUTOCLAIM and XCLAIM raise it), which counts toward the attempt limit.
/// </summary>
public sealed record DeliveredEntry(string Id, IReadOnlyList<KeyValuePair<string, string>> Fields, int DeliveryCount)
{
    /// <summary>The time Redis assigned the id (its millisecond part), or <c>null</c> for an id not of the form <c>ms-seq</c>.</summary>
    public DateTimeOffset? EnqueuedAt => StreamIds.TimeOf(Id);
}
