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

    /// <summary>Reads the section; durations as the configuration file writes them (<c>30s</c>, <c>2m</c>, <c>00:02:00</c>).</summary>
    public void Read(IConfigurationSection section)
    {
        if (section["RepublishAfter"] is { Length: > 0 } republish)
        {
            RepublishAfter = ComIO.ServiceDefaults.Configuration.ConfigurationDurations.Parse("replication.republish_after", republish);
        }
        else if (section["SyncInterval"] is { Length: > 0 } syncInterval)
        {
            // The seed configuration's name for the same period.
            RepublishAfter = ComIO.ServiceDefaults.Configuration.ConfigurationDurations.Parse("replication.sync_interval", syncInterval);
        }

        if (section["RelayBatchSize"] is { Length: > 0 } batch)
        {
            RelayBatchSize = int.Parse(batch, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
