using ComIO.Contracts.Replication;

namespace ComIO.Contracts.Nodes;

/// <summary>
/// Body of a node's complete-upload call: the parts in the order the client listed them; the replication intent when
/// the completed object must be replicated; the replica identity when it is another site's version.
/// </summary>
public sealed record CompleteMultipartRequest(List<CompletePart> Parts, ReplicationIntent? Replication = null, ReplicaInfo? Replica = null);
