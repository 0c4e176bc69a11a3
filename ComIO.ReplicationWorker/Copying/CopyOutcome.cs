namespace ComIO.ReplicationWorker.Copying;

/// <summary>How a change reached one destination; <see cref="Name"/> is the metric's <c>outcome</c> tag.</summary>
public sealed record CopyOutcome(string Name, long Bytes)
{
    public static CopyOutcome AlreadyPresent { get; } = new("already-present", 0);

    public static CopyOutcome SourceGone { get; } = new("source-gone", 0);

    public static CopyOutcome Deleted { get; } = new("deleted", 0);

    public static CopyOutcome Copied(long bytes) => new("copied", bytes);
}
