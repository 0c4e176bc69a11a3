using ComIO.Contracts.Nodes;

namespace ComIO.Contracts.Replication;

/// <summary>
/// Answer to a <see cref="ReplicationCompletionBatch"/>: for each completion, in order, null when it is recorded (or
/// there is nothing left to record it on: its bucket is gone) or the error that kept it from being recorded.
/// </summary>
public sealed record ReplicationCompletionResults(List<NodeError?> Errors);
