namespace ComIO.Contracts.Replication;

/// <summary>
/// Body of <c>POST /internal/v1/replication/complete</c> on the storage node named in the stream entry: the worker
/// reports that the outbox entry <see cref="Sequence"/> on <see cref="Device"/> reached every destination
/// (<see cref="StatusCompleted"/>) or was given up (<see cref="StatusFailed"/>). The node records the status on the
/// version (<c>x-amz-replication-status</c>) and removes the outbox entry in one commit; 204, also when already done.
/// </summary>
public sealed record ReplicationCompletion(int Device, long Sequence, string Bucket, string Key, string? VersionId, string Status)
{
    public const string StatusCompleted = "COMPLETED";
    public const string StatusFailed = "FAILED";

    /// <summary>Route on the storage node (under <c>/internal/v1</c>).</summary>
    public const string Route = "/internal/v1/replication/complete";
}
