namespace ComIO.Storage;

/// <summary>
/// A transactional-outbox entry: written in the same atomic, synced metadata batch as the object change it describes,
/// so an acknowledged change always has its entry (and a failed one never does). Entries stay until removed with
/// <see cref="StorageEngine.RemoveOutboxEntriesAsync"/>. Sequences increase monotonically per device (gaps are possible).
/// <see cref="Payload"/> is opaque to the engine (e.g. replication targets and trace context). Immutable.
/// </summary>
public sealed class OutboxEntry
{
    public required long Sequence { get; init; }

    public required OutboxOperation Operation { get; init; }

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    /// <summary>ETag of the version written (Put) or deleted (Delete).</summary>
    public string? ETag { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required byte[] Payload { get; init; }

    /// <summary>
    /// The version written (Put), created as a delete marker (Delete) or permanently removed (DeleteVersion); null for
    /// changes in never-versioned buckets ("null" names the null version of a versioned bucket).
    /// </summary>
    public string? VersionId { get; init; }

    /// <summary>True when the version named by <see cref="VersionId"/> is a delete marker.</summary>
    public bool IsDeleteMarker { get; init; }
}
