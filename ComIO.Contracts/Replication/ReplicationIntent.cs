namespace ComIO.Contracts.Replication;

/// <summary>
/// What the API service tells a node about a change that must be replicated: where to (the bucket's replication rules
/// matched when the change was accepted) and the trace it belongs to. The node commits it as the change's outbox
/// payload (JSON), and its relay copies it into the stream entry.
/// </summary>
public sealed record ReplicationIntent(List<ReplicationDestination> Destinations, string? TraceParent = null, string? TraceState = null);
