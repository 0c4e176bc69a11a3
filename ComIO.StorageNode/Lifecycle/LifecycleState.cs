namespace ComIO.StorageNode.Lifecycle;

/// <summary>Running totals of the node's lifecycle scans, for metrics. Thread-safe (interlocked).</summary>
public sealed class LifecycleState
{
    private long _objectsScanned;
    private long _expired;
    private long _uploadsAborted;
    private long _bytesFreed;
    private long _lastRunUnixSeconds;

    public long ObjectsScanned => Interlocked.Read(ref _objectsScanned);

    public long Expired => Interlocked.Read(ref _expired);

    public long UploadsAborted => Interlocked.Read(ref _uploadsAborted);

    public long BytesFreed => Interlocked.Read(ref _bytesFreed);

    /// <summary>Unix seconds at which the last complete scan finished (0 = never).</summary>
    public long LastRunUnixSeconds => Interlocked.Read(ref _lastRunUnixSeconds);

    /// <summary>Adds a finished scan's counts; <paramref name="finished"/> becomes the last run time.</summary>
    public void Record(LifecycleScanReport report, DateTimeOffset finished)
    {
        Interlocked.Add(ref _objectsScanned, report.ObjectsScanned);
        Interlocked.Add(ref _expired, report.Expired);
        Interlocked.Add(ref _uploadsAborted, report.UploadsAborted);
        Interlocked.Add(ref _bytesFreed, report.BytesFreed);
        Interlocked.Exchange(ref _lastRunUnixSeconds, finished.ToUnixTimeSeconds());
    }
}
