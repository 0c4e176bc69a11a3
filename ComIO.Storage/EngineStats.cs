namespace ComIO.Storage;

/// <summary>
/// A point-in-time snapshot of engine counters. <see cref="Capacity"/> is the data area (device minus superblock);
/// <see cref="UsedBytes"/> counts allocated blocks (including writes in flight), so <c>UsedBytes + FreeBytes == Capacity</c>.
/// </summary>
public sealed class EngineStats
{
    public required long Capacity { get; init; }

    public required long UsedBytes { get; init; }

    public required long FreeBytes { get; init; }

    public required long ObjectCount { get; init; }

    public required long BucketCount { get; init; }

    /// <summary>Chunks that failed CRC32C verification since the engine was opened (reads and scrubs).</summary>
    public required long ChecksumFailures { get; init; }

    /// <summary>Bytes of object data stored inline in metadata.</summary>
    public long InlineBytes { get; init; }

    /// <summary>Outbox entries not yet removed (pending replication).</summary>
    public long OutboxPending { get; init; }
}
