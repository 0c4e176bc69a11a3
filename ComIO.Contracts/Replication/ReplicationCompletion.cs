namespace ComIO.Contracts.Replication;

/// <summary>
/// One outcome the worker reports to the storage node named in the stream entry (inside a
/// <see cref="ReplicationCompletionBatch"/>): the outbox entry <see cref="Sequence"/> on <see cref="Device"/> reached
/// every destination (<see cref="StatusCompleted"/>) or was given up (<see cref="StatusFailed"/>). The node records the
/// status on the version (<c>x-amz-replication-status</c>) and removes the outbox entry in one commit; recording it
/// again is harmless.
/// </summary>
public sealed record ReplicationCompletion(int Device, long Sequence, string Bucket, string Key, string? VersionId, string Status)
{
    public const string StatusCompleted = "COMPLETED";
    public const string StatusFailed = "FAILED";
}
