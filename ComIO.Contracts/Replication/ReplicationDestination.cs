namespace ComIO.Contracts.Replication;

/// <summary>One place a change must reach: a bucket on another site (named as in <c>Replication:Sites</c>).</summary>
public sealed record ReplicationDestination(string Site, string Bucket);
