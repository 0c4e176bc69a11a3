namespace ComIO.Contracts.Replication;

/// <summary>
/// Marks a node write as another site's version applied as a replica (from <see cref="ReplicaHeaders"/>): the source
/// version id and ETag (quotes optional). The node stores it under that id, idempotently.
/// </summary>
public sealed record ReplicaInfo(string VersionId, string? ETag);
