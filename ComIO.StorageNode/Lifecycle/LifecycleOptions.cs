namespace ComIO.StorageNode.Lifecycle;

/// <summary>The node's <c>Lifecycle</c> configuration section (the lifecycle scanner, see <see cref="NodeLifecycleService"/>).</summary>
public sealed class LifecycleOptions
{
    public const string SectionName = "Lifecycle";

    /// <summary>Time between scheduled scans (default 1 hour; zero or negative disables the schedule, the internal API still runs scans).</summary>
    public TimeSpan ScanInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Added to the node's clock when rules are evaluated: tests move time forward with it. Zero in production.</summary>
    public TimeSpan TimeOffset { get; set; } = TimeSpan.Zero;

    /// <summary>Most mutations (deletes, delete markers, aborts) per second per device, so client I/O keeps priority; 0 = unlimited.</summary>
    public int MaxOperationsPerSecond { get; set; } = 100;

    /// <summary>Entries read per listing page (and per persisted cursor step).</summary>
    public int PageSize { get; set; } = 500;
}
