using ComIO.Storage.Devices;

namespace ComIO.Storage;

/// <summary>Options for <see cref="StorageEngine.OpenAsync"/>. Immutable after construction.</summary>
public sealed class StorageEngineOptions
{
    /// <summary>The formatted device (file image or block device).</summary>
    public required string DevicePath { get; init; }

    public DeviceKind DeviceKind { get; init; } = DeviceKind.File;

    /// <summary>RocksDB directory on the node's local disk; created if missing, must belong to the device.</summary>
    public required string MetadataPath { get; init; }

    /// <summary>CRC32C granularity in bytes: a power of two, a multiple of the device block size, at most 1 MiB.</summary>
    public int ChunkSize { get; init; } = 64 * 1024;

    /// <summary>Objects up to this many bytes are stored inline in their metadata record; 0 disables inlining.</summary>
    public int InlineThreshold { get; init; } = 16 * 1024;

    /// <summary>Opens the device; tests inject memory or fault-injecting devices. Default: <see cref="DirectIoBlockDevice"/>.</summary>
    public Func<string, IBlockDevice>? DeviceFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Size of the aligned staging buffers used to stream object data (a multiple of <see cref="ChunkSize"/>).</summary>
    public int IoBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Upper bound on commits (object writes, deletes) combined into one device flush and one synced metadata batch.</summary>
    public int MaxCommitGroupSize { get; init; } = 256;

    /// <summary>
    /// How long the commit loop may wait for writers that are still streaming data before it flushes, so they join the
    /// same group and share its device flush (like PostgreSQL's commit_delay). Only applies while such writers exist and
    /// the group already holds data on the device; a group of metadata and inline data never waits.
    /// </summary>
    public TimeSpan CommitGatherDelay { get; init; } = DefaultCommitGatherDelay;

    /// <summary>The default of <see cref="CommitGatherDelay"/>.</summary>
    public static TimeSpan DefaultCommitGatherDelay { get; } = TimeSpan.FromMilliseconds(1);
}
