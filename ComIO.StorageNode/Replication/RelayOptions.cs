namespace ComIO.StorageNode.Replication;

/// <summary>The node's outbox relay settings (<c>Replication__…</c>, YAML <c>replication:</c>).</summary>
public sealed class RelayOptions
{
    public const string SectionName = "Replication";

    /// <summary>
    /// An outbox entry still pending this long after it was last published is published again (the stream entry may
    /// have been lost with a Redis restart, or dead-lettered without a report). Duplicates are harmless: applying a
    /// version is idempotent.
    /// </summary>
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Entries read from the outbox and published per round.</summary>
    public int RelayBatchSize { get; set; } = 256;
}
