namespace ComIO.Storage;

/// <summary>The object change an <see cref="OutboxEntry"/> records.</summary>
public enum OutboxOperation
{
    Put,
    Delete,

    /// <summary>One version (or delete marker) named by <see cref="OutboxEntry.VersionId"/> was permanently removed.</summary>
    DeleteVersion,
}
