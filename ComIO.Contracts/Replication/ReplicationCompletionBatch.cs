namespace ComIO.Contracts.Replication;

/// <summary>
/// Body of <c>POST /internal/v1/replication/complete</c>: 1 to <see cref="MaxCount"/> outcomes of the node's outbox
/// entries. The node records them concurrently (its group commit makes them one metadata commit, or a few) and answers
/// 200 with <see cref="ReplicationCompletionResults"/>, one result per completion in the same order; a body that is not
/// such a batch is 400.
/// </summary>
public sealed record ReplicationCompletionBatch(List<ReplicationCompletion> Completions)
{
    public const int MaxCount = 1000;

    /// <summary>Route on the storage node (under <c>/internal/v1</c>).</summary>
    public const string Route = "/internal/v1/replication/complete";
}
