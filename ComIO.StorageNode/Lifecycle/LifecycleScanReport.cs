namespace ComIO.StorageNode.Lifecycle;

/// <summary>What one lifecycle scan of one device did. Mutable only by the scanner that fills it; not thread-safe.</summary>
public sealed class LifecycleScanReport
{
    /// <summary>Object versions, delete markers and multipart uploads examined.</summary>
    public long ObjectsScanned { get; set; }

    /// <summary>Current versions expired (deleted, or hidden behind a delete marker in a versioned bucket).</summary>
    public long CurrentExpired { get; set; }

    /// <summary>Noncurrent versions (and noncurrent delete markers) permanently removed.</summary>
    public long NoncurrentExpired { get; set; }

    /// <summary>Expired object delete markers (the only version left of their key) removed.</summary>
    public long DeleteMarkersRemoved { get; set; }

    /// <summary>Incomplete multipart uploads aborted.</summary>
    public long UploadsAborted { get; set; }

    /// <summary>Bytes of object data and parts released to the device.</summary>
    public long BytesFreed { get; set; }

    /// <summary>Buckets skipped because this run had already finished them before a restart.</summary>
    public long BucketsSkipped { get; set; }

    /// <summary>Every object expired by this scan (current, noncurrent, delete markers).</summary>
    public long Expired => CurrentExpired + NoncurrentExpired + DeleteMarkersRemoved;

    /// <summary>Adds <paramref name="other"/> to this report.</summary>
    public void Add(LifecycleScanReport other)
    {
        ObjectsScanned += other.ObjectsScanned;
        CurrentExpired += other.CurrentExpired;
        NoncurrentExpired += other.NoncurrentExpired;
        DeleteMarkersRemoved += other.DeleteMarkersRemoved;
        UploadsAborted += other.UploadsAborted;
        BytesFreed += other.BytesFreed;
        BucketsSkipped += other.BucketsSkipped;
    }
}
