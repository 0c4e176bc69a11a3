namespace ComIO.Storage;

/// <summary>The object change an <see cref="OutboxEntry"/> records.</summary>
public enum OutboxOperation
{
    Put,
    Delete,
}
