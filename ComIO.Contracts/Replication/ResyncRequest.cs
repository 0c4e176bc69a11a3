namespace ComIO.Contracts.Replication;

/// <summary>
/// Body of <c>POST /internal/v1/replication/resync/{bucket}</c> on a storage node: queue every version of the bucket's
/// keys on that node whose key starts with a rule's prefix again (each rule = prefix + destinations), except replicas
/// and, unless <see cref="IncludeCompleted"/>, versions already replicated. Answers <see cref="ResyncResult"/>.
/// </summary>
public sealed record ResyncRequest(List<ResyncRule> Rules, bool IncludeCompleted = false);

/// <summary>One replication rule for a resync: a key prefix ("" = all) and where it goes.</summary>
public sealed record ResyncRule(string Prefix, List<ReplicationDestination> Destinations);

/// <summary>How many versions a resync queued, and how many it skipped (replicas, already completed).</summary>
public sealed record ResyncResult(long Queued, long Skipped);
