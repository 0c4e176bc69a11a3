using ComIO.Storage.Metadata;

namespace ComIO.Storage;

/// <summary>
/// Cross-site replication support: applying another site's versions as replicas (idempotent, ordered by version id) and
/// the replication bookkeeping of local versions (status on the version, outbox entries), each in one atomic commit.
/// </summary>
public sealed partial class StorageEngine
{
    /// <summary>
    /// Applies another site's delete marker under its version id (see <see cref="ReplicaVersion"/>). Status: Ok (also
    /// when that version is already stored), NoSuchBucket, InvalidBucketState (versioning not Enabled).
    /// </summary>
    public async Task<DeleteObjectResult> ApplyReplicaDeleteMarkerAsync(string bucket, string key, ReplicaVersion replica, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ValidateReplica(replica);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return new DeleteObjectResult { Status = EngineStatus.NoSuchBucket };
        }

        var commit = new DeleteCommit(bucket, key) { Replica = replica };
        var status = await _committer.SubmitAsync(commit).ConfigureAwait(false);
        return new DeleteObjectResult { Status = status, DeleteMarker = commit.DeleteMarker, VersionId = commit.ResultVersionId };
    }

    /// <summary>
    /// Records the outcome of replicating outbox entry <paramref name="sequence"/>: sets <paramref name="status"/>
    /// (<see cref="ReplicationStatus.Completed"/> or <see cref="ReplicationStatus.Failed"/>) on the version when it still
    /// exists and removes the entry, in one commit. Idempotent. Status: Ok or NoSuchBucket.
    /// </summary>
    public Task<EngineStatus> CompleteReplicationAsync(long sequence, string bucket, string key, string? versionId, string status, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ValidateCompletionStatus(status);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (versionId is not null && !VersionIds.IsWellFormed(versionId))
        {
            return RemoveOutboxEntryAsync(sequence);
        }

        return _buckets.ContainsKey(bucket)
            ? _committer.SubmitAsync(new ReplicationCommit(bucket, key, versionId, status) { CompletedSequence = sequence })
            : RemoveOutboxEntryAsync(sequence);
    }

    /// <summary>
    /// Queues an existing version (data or delete marker) for replication again (resync/backfill): appends an outbox
    /// entry carrying <paramref name="payload"/> and sets the version's status to Pending, in one commit. Status: Ok
    /// (with the entry's sequence), NoSuchBucket, NoSuchKey or NoSuchVersion.
    /// </summary>
    public async Task<(EngineStatus Status, long? Sequence)> EnqueueReplicationAsync(string bucket, string key, string? versionId, byte[] payload, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ArgumentNullException.ThrowIfNull(payload);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (versionId is not null && !VersionIds.IsWellFormed(versionId))
        {
            return (EngineStatus.NoSuchVersion, null);
        }

        if (!_buckets.ContainsKey(bucket))
        {
            return (EngineStatus.NoSuchBucket, null);
        }

        var commit = new ReplicationCommit(bucket, key, versionId, ReplicationStatus.Pending) { EnqueuePayload = payload };
        var status = await _committer.SubmitAsync(commit).ConfigureAwait(false);
        return (status, commit.EnqueuedSequence);
    }

    private async Task<EngineStatus> RemoveOutboxEntryAsync(long sequence)
    {
        await RemoveOutboxEntriesAsync([sequence]).ConfigureAwait(false);
        return EngineStatus.Ok;
    }

    private static void ValidateReplica(ReplicaVersion? replica)
    {
        if (replica is not null && (replica.VersionId == VersionIds.Null || !VersionIds.IsWellFormed(replica.VersionId)))
        {
            throw new ArgumentException($"'{replica.VersionId}' is not a version id a replica can carry.", nameof(replica));
        }
    }

    private static void ValidateCompletionStatus(string status)
    {
        if (status is not (ReplicationStatus.Completed or ReplicationStatus.Failed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A replication outcome is COMPLETED or FAILED.");
        }
    }
}
