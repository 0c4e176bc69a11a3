namespace ComIO.Storage.Metadata;

/// <summary>A metadata change queued for the group-commit loop. Completed with the operation's status or an exception.</summary>
internal abstract class CommitOperation
{
    public TaskCompletionSource<EngineStatus> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Commit a new object record. Ownership of the record's (already written) extents passes to the committer, which frees
/// them if the commit is refused or known not to have happened.
/// </summary>
internal sealed class PutCommit(ObjectRecord record, byte[] key, byte[] value, string? ifMatch = null, bool ifNoneMatch = false, byte[]? outboxPayload = null) : CommitOperation
{
    /// <summary>When set, an outbox entry is committed in the same batch.</summary>
    public byte[]? OutboxPayload { get; } = outboxPayload;

    /// <summary>The outbox sequence assigned at commit, if any.</summary>
    public long? OutboxSequence { get; set; }

    public ObjectRecord Record { get; } = record;

    /// <summary>Required ETag of the current version (unquoted), or null.</summary>
    public string? IfMatch { get; } = ifMatch;

    /// <summary>The key must not exist.</summary>
    public bool IfNoneMatch { get; } = ifNoneMatch;

    public byte[] Key { get; } = key;

    public byte[] Value { get; } = value;
}

internal sealed class DeleteCommit(string bucket, string key, byte[]? outboxPayload = null) : CommitOperation
{
    public byte[]? OutboxPayload { get; } = outboxPayload;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;
}

/// <summary>Create (record set) or delete (record null) a bucket. Always committed in a group of its own.</summary>
internal sealed class BucketCommit(string bucket, BucketRecord? create) : CommitOperation
{
    public string Bucket { get; } = bucket;

    public BucketRecord? Create { get; } = create;
}

/// <summary>Removes outbox entries (delivered or given up).</summary>
internal sealed class OutboxRemoveCommit(long[] sequences) : CommitOperation
{
    public long[] Sequences { get; } = sequences;
}
