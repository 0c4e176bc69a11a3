using ComIO.Storage.Metadata;

namespace ComIO.Storage;

/// <summary>
/// Bucket versioning (S3 semantics). The current data version of a key stays in the object range (so GET, HEAD and
/// ListObjects cost what they cost in an unversioned bucket); noncurrent versions and delete markers live in the version
/// range, ordered newest first by their time-ordered ids, so "latest version" is one point read and ListObjectVersions is
/// one merged prefix scan. The versioning state is the bucket setting <see cref="VersioningSettingName"/>; it is changed
/// in a commit group of its own, so every write commits entirely under one state (the one in effect at its commit).
/// </summary>
public sealed partial class StorageEngine
{
    /// <summary>The bucket setting holding the versioning state (UTF-8 "Enabled" or "Suspended").</summary>
    public const string VersioningSettingName = "versioning";

    /// <summary>Parses a versioning setting payload ("Enabled" or "Suspended", exactly).</summary>
    public static bool TryParseVersioning(ReadOnlySpan<byte> payload, out VersioningState state)
    {
        state = payload.SequenceEqual("Enabled"u8) ? VersioningState.Enabled
            : payload.SequenceEqual("Suspended"u8) ? VersioningState.Suspended
            : VersioningState.Unversioned;
        return state != VersioningState.Unversioned;
    }

    /// <summary>The bucket's versioning state (Unversioned when the bucket does not exist).</summary>
    public VersioningState GetVersioning(string bucket)
    {
        ValidateBucketName(bucket);
        return _versioning.GetValueOrDefault(bucket);
    }

    /// <summary>
    /// Sets the bucket's versioning state to Enabled or Suspended (a bucket cannot return to Unversioned). Durable when it
    /// completes with Ok; writes committed after it use the new state. Status: Ok or NoSuchBucket.
    /// </summary>
    public Task<EngineStatus> SetVersioningAsync(string bucket, VersioningState state, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        if (state is not (VersioningState.Enabled or VersioningState.Suspended))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "Versioning can only be Enabled or Suspended.");
        }

        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        var payload = System.Text.Encoding.UTF8.GetBytes(state.ToString());
        return _committer.SubmitAsync(new VersioningCommit(bucket, state, payload));
    }

    /// <summary>True if <paramref name="versionId"/> is "null" or a version id this engine could have issued.</summary>
    public static bool IsValidVersionId(string? versionId) => VersionIds.IsWellFormed(versionId);

    /// <summary>
    /// A version's metadata: with <paramref name="versionId"/> null, the latest version (a delete marker when the key's
    /// latest version is one); otherwise exactly that version ("null" = the null version). Null when absent.
    /// <see cref="ObjectRecord.IsLatest"/> is set.
    /// </summary>
    public ObjectRecord? GetObjectVersion(string bucket, string key, string? versionId)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        using var gate = EnterOperation();
        if (!_buckets.ContainsKey(bucket))
        {
            return null;
        }

        var current = _store.GetObject(bucket, key, includeData: false);
        if (versionId is null)
        {
            if (current is not null)
            {
                return current.WithLatest(true);
            }

            var newest = _store.NewestVersion(bucket, key, null, includeData: false);
            return newest is { IsDeleteMarker: true } ? newest.WithLatest(true) : null;
        }

        if (!VersionIds.IsWellFormed(versionId))
        {
            return null;
        }

        if (current is not null && current.VersionId == versionId)
        {
            return current.WithLatest(true);
        }

        var (found, _) = _store.FindVersion(bucket, key, versionId, includeData: false);
        if (found is null)
        {
            return null;
        }

        var latest = current is null && _store.NewestVersion(bucket, key, null, includeData: false)?.VersionSlot == found.VersionSlot;
        return found.WithLatest(latest);
    }

    /// <summary>
    /// As <see cref="OpenObjectAsync(string, string, long, long, string?, CancellationToken)"/> for one version: with
    /// <paramref name="versionId"/> null the current version; a delete marker gives <see cref="EngineStatus.MethodNotAllowed"/>
    /// (with <see cref="OpenObjectResult.Object"/> set to it), an unknown id <see cref="EngineStatus.NoSuchVersion"/>.
    /// </summary>
    public Task<OpenObjectResult> OpenObjectVersionAsync(string bucket, string key, string? versionId, long offset, long length, string? expectedETag, CancellationToken ct = default) =>
        OpenObjectVersionAsync(bucket, key, versionId, offset, length, expectedETag, dataKey: null, ct);

    /// <summary>
    /// As <see cref="OpenObjectVersionAsync(string, string, string?, long, long, string?, CancellationToken)"/>, with the
    /// data key of a version encrypted at rest (chunks are decrypted and their AES-GCM tags verified before any byte is
    /// returned; a failed tag throws <see cref="ChecksumMismatchException"/> from the stream). An encrypted version opened
    /// without <paramref name="dataKey"/> gives <see cref="EngineStatus.EncryptionKeyRequired"/>; a key given for a version
    /// stored in the clear is ignored.
    /// </summary>
    public Task<OpenObjectResult> OpenObjectVersionAsync(string bucket, string key, string? versionId, long offset, long length, string? expectedETag, byte[]? dataKey, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ct.ThrowIfCancellationRequested();
        using var gate = EnterOperation();
        return Task.FromResult(Open(bucket, key, versionId, offset, length, expectedETag, dataKey));
    }

    /// <summary>
    /// Deletes as S3 DeleteObject does. Without <paramref name="versionId"/>: in an unversioned bucket removes the object
    /// (NoSuchKey when absent); in a versioned bucket adds a delete marker (a new version when Enabled, the null version
    /// when Suspended, replacing and freeing the previous null version). With it: permanently removes exactly that version
    /// (NoSuchVersion when absent), freeing its extents after the commit; when it was the latest, the next newest version
    /// becomes the latest. An <see cref="OutboxEntry"/> carrying the version id is committed in the same batch when
    /// <paramref name="outboxPayload"/> is set.
    /// </summary>
    public Task<DeleteObjectResult> DeleteObjectVersionedAsync(string bucket, string key, string? versionId, byte[]? outboxPayload = null, CancellationToken ct = default) =>
        DeleteObjectVersionedAsync(bucket, key, versionId, bypassGovernance: false, outboxPayload, ct);

    /// <summary>
    /// Deletes the current version of <paramref name="key"/> (a delete marker in a versioned bucket) only if it is still the
    /// version with <paramref name="etag"/> and <paramref name="lastModified"/>, checked atomically with the commit:
    /// lifecycle expiry never removes an object a client overwrote after the scan looked at it. Status: Ok,
    /// PreconditionFailed (the current version changed or is gone), ObjectLocked, NoSuchBucket, NoSuchKey.
    /// </summary>
    public async Task<DeleteObjectResult> DeleteCurrentIfUnchangedAsync(string bucket, string key, string etag, DateTimeOffset lastModified, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return new DeleteObjectResult { Status = EngineStatus.NoSuchBucket };
        }

        var commit = new DeleteCommit(bucket, key) { ExpectedCurrent = (etag, lastModified) };
        var status = await _committer.SubmitAsync(commit).ConfigureAwait(false);
        return new DeleteObjectResult { Status = status, DeleteMarker = commit.DeleteMarker, VersionId = commit.ResultVersionId };
    }

    /// <summary>
    /// As <see cref="DeleteObjectVersionedAsync(string, string, string?, byte[]?, CancellationToken)"/>, enforcing Object
    /// Lock against the engine's clock: removing a version (or replacing the null version in place) that has a legal hold
    /// or an active retention gives <see cref="EngineStatus.ObjectLocked"/> and changes nothing. With
    /// <paramref name="bypassGovernance"/> (set only for callers authorized to bypass governance) an active GOVERNANCE
    /// retention does not protect; COMPLIANCE and legal holds always do. Adding a delete marker is never refused in an
    /// Enabled bucket (the locked version stays as a noncurrent version).
    /// </summary>
    public async Task<DeleteObjectResult> DeleteObjectVersionedAsync(string bucket, string key, string? versionId, bool bypassGovernance, byte[]? outboxPayload = null, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (versionId is not null && !VersionIds.IsWellFormed(versionId))
        {
            return new DeleteObjectResult { Status = EngineStatus.NoSuchVersion };
        }

        if (!_buckets.ContainsKey(bucket))
        {
            return new DeleteObjectResult { Status = EngineStatus.NoSuchBucket };
        }

        var commit = new DeleteCommit(bucket, key, outboxPayload, versionId, bypassGovernance);
        var status = await _committer.SubmitAsync(commit).ConfigureAwait(false);
        return new DeleteObjectResult { Status = status, DeleteMarker = commit.DeleteMarker, VersionId = commit.ResultVersionId };
    }

    /// <summary>
    /// As <see cref="SetObjectTagsAsync(string, string, IReadOnlyList{KeyValuePair{string, string}}, CancellationToken)"/>
    /// for one version (null = current). Status: Ok, NoSuchBucket, NoSuchKey, NoSuchVersion, or MethodNotAllowed for a
    /// delete marker.
    /// </summary>
    public Task<EngineStatus> SetObjectTagsAsync(string bucket, string key, string? versionId, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        var copy = ObjectTags.ValidatedCopy(tags, nameof(tags));
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (versionId is not null && !VersionIds.IsWellFormed(versionId))
        {
            return Task.FromResult(EngineStatus.NoSuchVersion);
        }

        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        return _committer.SubmitAsync(new TagsCommit(bucket, key, copy, versionId));
    }

    /// <summary>
    /// Sets the Object Lock retention of one version (null <paramref name="versionId"/> = the current version) to
    /// <paramref name="retention"/> (null removes it). An active retention may always be extended in the same mode; a
    /// COMPLIANCE retention can never be shortened, removed or changed to GOVERNANCE, and a GOVERNANCE one only with
    /// <paramref name="bypassGovernance"/> (else <see cref="EngineStatus.ObjectLocked"/>). The record is rewritten in
    /// place (data untouched) in a synced batch. Status: Ok (with <see cref="ObjectLockResult.Object"/>), NoSuchBucket,
    /// NoSuchKey, NoSuchVersion, MethodNotAllowed (delete marker) or ObjectLocked. Callers validate that a new date lies
    /// in the future (S3 does); the engine does not refuse past dates.
    /// </summary>
    public Task<ObjectLockResult> SetObjectRetentionAsync(string bucket, string key, string? versionId, ObjectRetention? retention, bool bypassGovernance, CancellationToken ct = default) =>
        SubmitLockAsync(new LockCommit(bucket, key, versionId, setRetention: true, retention, legalHold: null, bypassGovernance), ct);

    /// <summary>
    /// Sets the Object Lock legal hold of one version (null <paramref name="versionId"/> = the current version) on or off.
    /// Status as <see cref="SetObjectRetentionAsync"/> (never ObjectLocked: anyone allowed to call this may lift a hold).
    /// </summary>
    public Task<ObjectLockResult> SetObjectLegalHoldAsync(string bucket, string key, string? versionId, bool legalHold, CancellationToken ct = default) =>
        SubmitLockAsync(new LockCommit(bucket, key, versionId, setRetention: false, retention: null, legalHold, bypassGovernance: false), ct);

    private async Task<ObjectLockResult> SubmitLockAsync(LockCommit commit, CancellationToken ct)
    {
        ValidateBucketName(commit.Bucket);
        ValidateKey(commit.Key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (commit.VersionId is not null && !VersionIds.IsWellFormed(commit.VersionId))
        {
            return new ObjectLockResult { Status = EngineStatus.NoSuchVersion };
        }

        if (!_buckets.ContainsKey(commit.Bucket))
        {
            return new ObjectLockResult { Status = EngineStatus.NoSuchBucket };
        }

        var status = await _committer.SubmitAsync(commit).ConfigureAwait(false);
        return new ObjectLockResult { Status = status, Object = status == EngineStatus.Ok ? commit.Committed : null };
    }

    /// <summary>
    /// Versions and delete markers in S3 order (key ascending, newest version first) whose key starts with
    /// <paramref name="prefix"/>, after <paramref name="keyMarker"/> / <paramref name="versionIdMarker"/> as S3's
    /// ListObjectVersions defines them, at most <paramref name="maxVersions"/>. O(maxVersions): two Seeks and a merge
    /// of the current and noncurrent ranges. Records carry no layout, and with a <paramref name="summary"/> only what it
    /// asks for. An unknown bucket gives an empty listing.
    /// </summary>
    public ObjectVersionListing ListObjectVersions(string bucket, string? prefix, string? keyMarker, string? versionIdMarker, int maxVersions, ListingSummary? summary = null)
    {
        ValidateBucketName(bucket);
        using var gate = EnterOperation();
        if (maxVersions <= 0 || !_buckets.ContainsKey(bucket))
        {
            return new ObjectVersionListing { Versions = [], IsTruncated = false };
        }

        return _store.ListVersions(bucket, prefix, string.IsNullOrEmpty(keyMarker) ? null : keyMarker, string.IsNullOrEmpty(versionIdMarker) ? null : versionIdMarker, maxVersions, summary);
    }
}
