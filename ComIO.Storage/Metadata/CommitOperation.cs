namespace ComIO.Storage.Metadata;

/// <summary>A metadata change queued for the group-commit loop. Completed with the operation's status or an exception.</summary>
internal abstract class CommitOperation
{
    public TaskCompletionSource<EngineStatus> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True for operations that run in a commit group of their own, deciding against committed state only.</summary>
    public virtual bool IsExclusive => false;
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

    /// <summary>The record as committed (with its version id in a versioned bucket), set when the status is Ok.</summary>
    public ObjectRecord? Committed { get; set; }

    /// <summary>Set when the record is another site's version applied as a replica.</summary>
    public ReplicaVersion? Replica { get; init; }
}

/// <summary>
/// Deletes an object: without <see cref="VersionId"/>, the current version (unversioned bucket) or by adding a delete
/// marker (versioned bucket); with it, exactly that version, permanently.
/// </summary>
internal sealed class DeleteCommit(string bucket, string key, byte[]? outboxPayload = null, string? versionId = null, bool bypassGovernance = false) : CommitOperation
{
    /// <summary>
    /// When set (only with no <see cref="VersionId"/>), the delete happens only if the current version still has this
    /// ETag and Last-Modified; otherwise PreconditionFailed and nothing changes (lifecycle expiry racing an overwrite).
    /// </summary>
    public (string ETag, DateTimeOffset LastModified)? ExpectedCurrent { get; init; }

    /// <summary>An active GOVERNANCE retention does not protect the version (the caller was authorized to bypass it).</summary>
    public bool BypassGovernance { get; } = bypassGovernance;

    public byte[]? OutboxPayload { get; } = outboxPayload;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string? VersionId { get; } = versionId;

    /// <summary>Set when the delete applies another site's delete marker (no <see cref="VersionId"/>).</summary>
    public ReplicaVersion? Replica { get; init; }

    /// <summary>Set on Ok: the version created or removed is a delete marker.</summary>
    public bool DeleteMarker { get; set; }

    /// <summary>Set on Ok: the id of the version created or removed (null for a plain delete in an unversioned bucket).</summary>
    public string? ResultVersionId { get; set; }
}

/// <summary>Sets a bucket's versioning state (and its setting record). Runs alone, so every write of a group sees one state.</summary>
internal sealed class VersioningCommit(string bucket, VersioningState state, byte[] payload) : CommitOperation
{
    public override bool IsExclusive => true;

    public string Bucket { get; } = bucket;

    public VersioningState State { get; } = state;

    public byte[] Payload { get; } = payload;
}

/// <summary>
/// Replaces the tag set of an existing object: the current record (committed, or staged earlier in the same group) is
/// rewritten with the new tags; data, extents and other metadata are unchanged. NoSuchBucket / NoSuchKey otherwise.
/// </summary>
internal sealed class TagsCommit(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> tags, string? versionId = null) : CommitOperation
{
    /// <summary>The version to tag; null = the current version.</summary>
    public string? VersionId { get; } = versionId;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; } = tags;
}

/// <summary>
/// Create (record set, with its initial settings) or delete (record null; its settings go too) a bucket. Always committed
/// in a group of its own.
/// </summary>
internal sealed class BucketCommit(string bucket, BucketRecord? create, IReadOnlyDictionary<string, byte[]>? settings = null) : CommitOperation
{
    public override bool IsExclusive => true;

    public string Bucket { get; } = bucket;

    public BucketRecord? Create { get; } = create;

    public IReadOnlyDictionary<string, byte[]> Settings { get; } = settings ?? new Dictionary<string, byte[]>();
}

/// <summary>
/// Writes (payload set) or removes (payload null) one document record: a bucket setting (refused with NoSuchBucket when
/// <see cref="RequiredBucket"/> does not exist at commit time) or a system document (<see cref="RequiredBucket"/> null).
/// A committed bucket setting or <see cref="Shared"/> system document moves the settings stamp.
/// </summary>
internal sealed class DocumentCommit(byte[] key, byte[]? payload, string? requiredBucket, bool shared = false) : CommitOperation
{
    public byte[] Key { get; } = key;

    /// <summary>A system document that API services may remember (users, access keys, KMS keys), unlike node-local state.</summary>
    public bool Shared { get; } = shared;

    public byte[]? Payload { get; } = payload;

    public string? RequiredBucket { get; } = requiredBucket;
}

/// <summary>
/// Changes entries of an object's system metadata (null value = remove) without touching its data, tags or other
/// metadata: of the current version, or of the version <see cref="VersionId"/> names. NoSuchBucket / NoSuchKey /
/// NoSuchVersion / MethodNotAllowed (a delete marker) otherwise.
/// </summary>
internal sealed class SystemMetadataCommit(string bucket, string key, IReadOnlyDictionary<string, string?> changes, string? versionId = null) : CommitOperation
{
    /// <summary>The version to change; null = the current version.</summary>
    public string? VersionId { get; } = versionId;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public IReadOnlyDictionary<string, string?> Changes { get; } = changes;
}

/// <summary>Removes outbox entries (delivered or given up).</summary>
internal sealed class OutboxRemoveCommit(long[] sequences) : CommitOperation
{
    public long[] Sequences { get; } = sequences;
}

/// <summary>Creates a multipart upload record (refused with NoSuchBucket if the bucket is gone).</summary>
internal sealed class UploadCreateCommit(MultipartUpload upload) : CommitOperation
{
    public MultipartUpload Upload { get; } = upload;
}

/// <summary>
/// Commits a part record (replacing any part with the same number). Ownership of the part's (already written) extents
/// passes to the committer, which frees them if the commit is refused (NoSuchUpload) or known not to have happened.
/// </summary>
internal sealed class PartCommit(string bucket, string key, string uploadId, PartRecord part) : CommitOperation
{
    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string UploadId { get; } = uploadId;

    public PartRecord Part { get; } = part;
}

/// <summary>
/// Completes a multipart upload: validates the listed parts against the committed part records and, in one batch, writes
/// the object (the listed parts' extents, no data copied), removes the upload and all its parts, and frees unlisted parts
/// and the replaced object after the commit. Runs alone so that no part commit of the same group can interleave.
/// </summary>
internal sealed class CompleteCommit(string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> parts, byte[]? outboxPayload) : CommitOperation
{
    public override bool IsExclusive => true;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string UploadId { get; } = uploadId;

    public IReadOnlyList<CompletedPart> Parts { get; } = parts;

    public byte[]? OutboxPayload { get; } = outboxPayload;

    /// <summary>Set when the completed object is another site's version applied as a replica.</summary>
    public ReplicaVersion? Replica { get; init; }

    /// <summary>The committed object, set when the status is Ok.</summary>
    public ObjectRecord? Result { get; set; }

    public long? OutboxSequence { get; set; }
}

/// <summary>Removes a multipart upload and all its parts; their extents are freed after the commit. Runs alone.</summary>
internal sealed class AbortCommit(string bucket, string key, string uploadId) : CommitOperation
{
    public override bool IsExclusive => true;

    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string UploadId { get; } = uploadId;
}

/// <summary>
/// Changes the Object Lock state of one version (null = the current version): its retention when
/// <see cref="SetRetention"/> (to <see cref="Retention"/>, null = remove), its legal hold when <see cref="LegalHold"/> is
/// set. A COMPLIANCE retention may only be extended; shortening, removing or changing the mode of an active GOVERNANCE
/// retention needs <see cref="BypassGovernance"/>. Status: Ok, NoSuchBucket, NoSuchKey, NoSuchVersion, MethodNotAllowed
/// (delete marker) or ObjectLocked.
/// </summary>
internal sealed class LockCommit(string bucket, string key, string? versionId, bool setRetention, ObjectRetention? retention, bool? legalHold, bool bypassGovernance) : CommitOperation
{
    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    public string? VersionId { get; } = versionId;

    public bool SetRetention { get; } = setRetention;

    public ObjectRetention? Retention { get; } = retention;

    public bool? LegalHold { get; } = legalHold;

    public bool BypassGovernance { get; } = bypassGovernance;

    /// <summary>The version as committed, set when the status is Ok.</summary>
    public ObjectRecord? Committed { get; set; }
}

/// <summary>
/// Replication bookkeeping of one version, in one commit: records <see cref="Status"/> on the version (when it still
/// exists), removes the outbox entry <see cref="CompletedSequence"/> (a completion report) and/or appends a new outbox
/// entry with <see cref="EnqueuePayload"/> (a resync). NoSuchBucket, NoSuchVersion/NoSuchKey when enqueuing an absent version.
/// </summary>
internal sealed class ReplicationCommit(string bucket, string key, string? versionId, string status) : CommitOperation
{
    public string Bucket { get; } = bucket;

    public string Key { get; } = key;

    /// <summary>The version (null = the current version).</summary>
    public string? VersionId { get; } = versionId;

    public string Status { get; } = status;

    public long? CompletedSequence { get; init; }

    public byte[]? EnqueuePayload { get; init; }

    /// <summary>The sequence of the entry appended for <see cref="EnqueuePayload"/>.</summary>
    public long? EnqueuedSequence { get; set; }
}
