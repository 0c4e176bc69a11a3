namespace ComIO.StorageNode.Configuration;

/// <summary>The node's <c>storage</c> configuration section (YAML <c>storage:</c>, environment <c>Storage__…</c>).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public List<DeviceOptions> Devices { get; set; } = [];

    /// <summary>Logical block size used when formatting a device. Existing devices keep the size in their superblock.</summary>
    public int BlockSize { get; set; } = 4096;

    /// <summary>Folder for the metadata stores, one sub-folder per device. Must be on a local disk.</summary>
    public string MetadataPath { get; set; } = "";

    /// <summary>Format devices that hold no ComIO superblock (never one that does). Operators ask for this explicitly.</summary>
    public bool Format { get; set; }

    /// <summary>Capacity of a device image created by <see cref="Format"/>, in MiB.</summary>
    public long FormatSizeMiB { get; set; } = 4096;

    /// <summary>Objects up to this many bytes are stored inline in metadata.</summary>
    public int InlineThreshold { get; set; } = 16 * 1024;

    /// <summary>Hours between background scrubs of every device; 0 disables the schedule (on-demand scrubs still work).</summary>
    public double ScrubIntervalHours { get; set; } = 24;

    /// <summary>Read rate limit of a scrub, so client I/O keeps priority; 0 means unlimited.</summary>
    public long ScrubBytesPerSecond { get; set; } = 64L * 1024 * 1024;
}

public sealed class DeviceOptions
{
    public string Path { get; set; } = "";

    /// <summary><c>file</c> (an image file) or <c>block</c> (a raw block device).</summary>
    public string Type { get; set; } = "file";
}

/// <summary>The node's identity (<c>Node__Id</c>, <c>Node__Site</c>).</summary>
public sealed class NodeOptions
{
    public const string SectionName = "Node";

    public string Id { get; set; } = Environment.MachineName;

    public string Site { get; set; } = "local";
}
