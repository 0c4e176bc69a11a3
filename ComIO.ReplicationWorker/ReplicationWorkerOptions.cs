namespace ComIO.ReplicationWorker;

/// <summary>Replication worker settings (<c>Replication__…</c>); the site comes from <c>Site__Name</c>.</summary>
public sealed class ReplicationWorkerOptions
{
    public const string SectionName = "Replication";

    /// <summary>Consumer group shared by all workers of a site.</summary>
    public string ConsumerGroup { get; set; } = "replication-workers";
}
