using System.Collections.Concurrent;
using System.Threading.Channels;
using ComIO.Storage.Allocation;
using ComIO.Storage.Devices;
using RocksDbSharp;

namespace ComIO.Storage.Metadata;

/// <summary>
/// The single writer of metadata. Operations queue on a channel; one loop drains everything queued (up to a group size),
/// flushes the device once if any operation carries device data, writes ONE synced RocksDB batch for the group, then
/// frees replaced extents (after durability) and completes the operations. While one group is being made durable the
/// next one accumulates, so concurrent writers share both the device flush and the WAL sync.
/// Bucket creation/deletion and multipart complete/abort run in a group of their own, so their checks see committed
/// state only (a part commit therefore only has to check that its upload exists in committed state).
/// </summary>
internal sealed class GroupCommitter : IAsyncDisposable
{
    /// <summary>S3's minimum size of every part but the last (5 MiB).</summary>
    public const long MinPartSize = 5L * 1024 * 1024;

    /// <summary>S3's largest object: 5 TiB.</summary>
    public const long MaxObjectSize = 5L * 1024 * 1024 * 1024 * 1024;

    private readonly Channel<CommitOperation> _channel = Channel.CreateUnbounded<CommitOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MetadataStore _store;
    private readonly IBlockDevice _device;
    private readonly ExtentAllocator _allocator;
    private readonly ExtentLeases _leases;
    private readonly ConcurrentDictionary<string, BucketRecord> _buckets;
    private readonly int _maxGroupSize;
    private readonly StorageMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _gatherDelay;
    private readonly ConcurrentDictionary<string, VersioningState> _versioning;
    private readonly List<CommitOperation> _deferred = [];
    private readonly Task _loop;
    private long _lastVersionStamp;
    private int _writersInFlight;
    private long _objectCount;
    private long _lastOutboxSequence;
    private long _pendingOutboxSequence;
    private long _outboxCount;
    private TaskCompletionSource _outboxSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _inlineBytes;
    private long _groups;
    private long _operations;
    private readonly string _settingsEpoch = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private long _settingsGeneration;
    private string _settingsStamp = string.Empty;

    public GroupCommitter(
        MetadataStore store,
        IBlockDevice device,
        ExtentAllocator allocator,
        ExtentLeases leases,
        ConcurrentDictionary<string, BucketRecord> buckets,
        long objectCount,
        long inlineBytes,
        int maxGroupSize,
        TimeSpan gatherDelay,
        StorageMetrics metrics,
        long lastOutboxSequence,
        long outboxCount,
        TimeProvider timeProvider,
        ConcurrentDictionary<string, VersioningState> versioning)
    {
        _versioning = versioning;
        _timeProvider = timeProvider;
        _lastOutboxSequence = lastOutboxSequence;
        _pendingOutboxSequence = lastOutboxSequence;
        _outboxCount = outboxCount;
        _metrics = metrics;
        _gatherDelay = gatherDelay;
        _store = store;
        _device = device;
        _allocator = allocator;
        _leases = leases;
        _buckets = buckets;
        _objectCount = objectCount;
        _inlineBytes = inlineBytes;
        _maxGroupSize = Math.Max(1, maxGroupSize);
        _settingsStamp = _settingsEpoch + ".0";
        _loop = StartLoopThread();
    }

    public long ObjectCount => Interlocked.Read(ref _objectCount);

    public long InlineBytes => Interlocked.Read(ref _inlineBytes);

    public long OutboxCount => Interlocked.Read(ref _outboxCount);

    public long LastOutboxSequence => Interlocked.Read(ref _lastOutboxSequence);

    /// <summary>Completes when an outbox entry with a sequence above <paramref name="afterSequence"/> has been committed.</summary>
    public async Task WaitForOutboxAsync(long afterSequence, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _outboxSignal);
            if (LastOutboxSequence > afterSequence)
            {
                return;
            }

            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Number of groups committed (each: at most one device flush and one WAL sync).</summary>
    public long GroupCount => Interlocked.Read(ref _groups);

    public long OperationCount => Interlocked.Read(ref _operations);

    /// <summary>
    /// Names the current state of every bucket's settings and existence, and of the shared system documents, on this
    /// engine: it changes after each committed bucket creation or deletion, settings write, versioning change or shared
    /// document write, and differs between engine instances (a random
    /// epoch), so two equal stamps mean nothing changed in between. Contract for readers: take the stamp <em>before</em>
    /// reading settings; the change becomes visible before the stamp moves, so a stamp never vouches for older settings.
    /// </summary>
    public string BucketSettingsStamp => Volatile.Read(ref _settingsStamp);

    /// <summary>Number of writers currently streaming data that will submit a commit soon.</summary>
    public int WritersInFlight => Volatile.Read(ref _writersInFlight);

    /// <summary>
    /// Announces a writer that is streaming object data. While writers are in flight the loop waits up to the gather
    /// delay for their commits before flushing, so they share the flush and the WAL sync. End it (exactly once) by
    /// submitting with <see cref="SubmitAsync(CommitOperation, WriterTicket)"/> or by disposing the ticket.
    /// </summary>
    public WriterTicket BeginWrite()
    {
        Interlocked.Increment(ref _writersInFlight);
        return new WriterTicket(this);
    }

    internal void EndWrite() => Interlocked.Decrement(ref _writersInFlight);

    /// <summary>
    /// Ends the writer's in-flight mark, then queues its commit. The mark ends first: a gathering loop that found this
    /// commit queued while the mark still counted would wait out the gather delay for a writer that has nothing left to send.
    /// </summary>
    public Task<EngineStatus> SubmitAsync(CommitOperation operation, WriterTicket? ticket)
    {
        ticket?.Dispose();
        return SubmitAsync(operation);
    }

    public Task<EngineStatus> SubmitAsync(CommitOperation operation)
    {
        if (!_channel.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(StorageEngine), "The storage engine is shutting down.");
        }

        return operation.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private static string OverlayKey(string bucket, string key) => string.Concat(bucket, "\0", key);

    /// <summary>
    /// Runs the loop on a thread of its own: a group's device flush and WAL sync block for hundreds of microseconds, and
    /// on a thread-pool worker that would take one of the few workers (two on a 2-core machine) away from request work.
    /// Operations' completions run their continuations on the pool, never on this thread.
    /// </summary>
    private Task StartLoopThread()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunLoop();
                finished.SetResult();
            }
            catch (Exception ex)
            {
                finished.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "comio-commit",
        };
        thread.Start();
        return finished.Task;
    }

    /// <summary>Blocks the loop thread until <paramref name="pending"/> completes (only ever called on that thread).</summary>
    private static T Wait<T>(ValueTask<T> pending) => pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static void Wait(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
        }
        else
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private void RunLoop()
    {
        var reader = _channel.Reader;
        var group = new List<CommitOperation>(_maxGroupSize);
        CommitOperation? carried = null;
        while (true)
        {
            if (carried is null && _deferred.Count == 0)
            {
                if (!Wait(reader.WaitToReadAsync()))
                {
                    break;
                }

                if (!reader.TryRead(out carried))
                {
                    continue;
                }
            }

            group.Clear();
            if (_deferred.Count > 0)
            {
                // Operations on a key already changed by a versioned operation of the previous group go first, in order.
                group.AddRange(_deferred);
                _deferred.Clear();
            }
            else
            {
                group.Add(carried!);
                carried = null;
            }

            // Nothing may escape this loop: a dead loop would leave every later commit waiting forever.
            try
            {
                if (!group[0].IsExclusive && carried is null)
                {
                    carried = Gather(reader, group);
                }

                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                ProcessGroup(group);
                _metrics.CommitGroup(group.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            }
            catch (Exception ex)
            {
                _deferred.Clear();
                foreach (var operation in group)
                {
                    operation.Completion.TrySetException(ex);
                }
            }
        }
    }

    /// <summary>
    /// Adds queued operations to the group. While the group holds data on the device and writers are still streaming
    /// data, waits (bounded by the gather delay) for their commits, so they share its device flush. A group without
    /// device data commits at once: its cost is the WAL sync, and what arrives during that sync forms the next group.
    /// Returns a bucket operation that must run in the next group, if one was dequeued.
    /// </summary>
    private CommitOperation? Gather(ChannelReader<CommitOperation> reader, List<CommitOperation> group)
    {
        long deadline = 0;
        while (true)
        {
            while (group.Count < _maxGroupSize && reader.TryRead(out var next))
            {
                if (next.IsExclusive)
                {
                    return next;
                }

                group.Add(next);
            }

            if (group.Count >= _maxGroupSize || WritersInFlight == 0 || _gatherDelay <= TimeSpan.Zero || !group.Exists(FlushesDevice))
            {
                return null;
            }

            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (deadline == 0)
            {
                deadline = now + (long)(_gatherDelay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            }

            var remaining = deadline - now;
            if (remaining <= 0)
            {
                return null;
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / System.Diagnostics.Stopwatch.Frequency));
            try
            {
                if (!Wait(reader.WaitToReadAsync(timeout.Token)))
                {
                    return null;
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>Whether the operation's data lies on the device, so its group must flush the device before the metadata.</summary>
    private static bool FlushesDevice(CommitOperation operation) =>
        operation is PutCommit { Record.HasExtents: true } or PartCommit { Part.Data.Extents.Length: > 0 };

    private void ProcessGroup(List<CommitOperation> group)
    {
        Exception? flushError = null;
        foreach (var operation in group)
        {
            if (FlushesDevice(operation))
            {
                try
                {
                    Wait(_device.FlushAsync());
                }
                catch (Exception ex)
                {
                    flushError = ex;
                }

                break;
            }
        }

        var statuses = new EngineStatus?[group.Count];
        var replaced = new List<Extent[]>();
        var overlay = new Dictionary<string, ObjectRecord?>(StringComparer.Ordinal);
        var partOverlay = new Dictionary<string, PartRecord>(StringComparer.Ordinal);
        long objectDelta = 0;
        long inlineDelta = 0;
        long outboxDelta = 0;
        var removedOutbox = new HashSet<long>();
        var versionTouched = new HashSet<string>(StringComparer.Ordinal);
        using var batch = new WriteBatch();

        // A versioned change reads committed state (the key's current record, its versions, the null-version pointer),
        // so it must not follow another change of the same key in this group; nor may a later change follow it. Such
        // operations move to the next group (in order), where the earlier change is committed state.
        bool Defer(CommitOperation operation, string bucket, string key, bool versioned)
        {
            var overlayKey = OverlayKey(bucket, key);
            if (versionTouched.Contains(overlayKey) || (versioned && overlay.ContainsKey(overlayKey)))
            {
                _deferred.Add(operation);
                return true;
            }

            if (versioned)
            {
                versionTouched.Add(overlayKey);
            }

            return false;
        }

        for (var i = 0; i < group.Count; i++)
        {
            switch (group[i])
            {
                case PutCommit put:
                    if (put.Record.HasExtents && flushError is not null)
                    {
                        _allocator.Free(put.Record.Extents);
                        put.Completion.TrySetException(new IOException($"Device flush failed; '{put.Record.Bucket}/{put.Record.Key}' was not stored.", flushError));
                        continue;
                    }

                    if (!_buckets.ContainsKey(put.Record.Bucket))
                    {
                        _allocator.Free(put.Record.Extents);
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    var putState = StateOf(put.Record.Bucket);
                    if (Defer(put, put.Record.Bucket, put.Record.Key, putState != VersioningState.Unversioned))
                    {
                        continue;
                    }

                    if (put.Replica is not null)
                    {
                        if (putState != VersioningState.Enabled)
                        {
                            _allocator.Free(put.Record.Extents);
                            statuses[i] = EngineStatus.InvalidBucketState;
                            continue;
                        }

                        var stagedReplica = StageReplica(batch, put.Record, put.Replica, replaced, ref objectDelta, ref inlineDelta, out var existingReplica);
                        if (stagedReplica is null)
                        {
                            _allocator.Free(put.Record.Extents);
                        }

                        put.Committed = stagedReplica ?? existingReplica;
                        statuses[i] = EngineStatus.Ok;
                        break;
                    }

                    var current = Lookup(put.Record.Bucket, put.Record.Key, overlay);
                    if ((put.IfNoneMatch && current is not null)
                        || (put.IfMatch is not null && !string.Equals(current?.ETag, put.IfMatch, StringComparison.OrdinalIgnoreCase)))
                    {
                        _allocator.Free(put.Record.Extents);
                        statuses[i] = EngineStatus.PreconditionFailed;
                        continue;
                    }

                    if (putState == VersioningState.Unversioned ? current?.IsLocked(_timeProvider.GetUtcNow()) == true : putState == VersioningState.Suspended && NullVersionLocked(put.Record.Bucket, put.Record.Key))
                    {
                        // Object Lock: the version this write would replace in place is protected.
                        _allocator.Free(put.Record.Extents);
                        statuses[i] = EngineStatus.ObjectLocked;
                        continue;
                    }

                    if (putState != VersioningState.Unversioned)
                    {
                        put.Committed = StageVersion(batch, put.Record, putState, replaced, ref objectDelta, ref inlineDelta);
                        if (put.OutboxPayload is not null)
                        {
                            put.OutboxSequence = AppendOutbox(batch, OutboxOperation.Put, put.Record.Bucket, put.Record.Key, put.Record.ETag, put.OutboxPayload, put.Committed.VersionId, false);
                            outboxDelta++;
                        }

                        statuses[i] = EngineStatus.Ok;
                        break;
                    }

                    if (current is not null)
                    {
                        replaced.Add(current.Extents);
                    }
                    else
                    {
                        objectDelta++;
                    }

                    batch.Put(put.Key, put.Value);
                    if (put.OutboxPayload is not null)
                    {
                        put.OutboxSequence = AppendOutbox(batch, OutboxOperation.Put, put.Record.Bucket, put.Record.Key, put.Record.ETag, put.OutboxPayload);
                        outboxDelta++;
                    }

                    overlay[OverlayKey(put.Record.Bucket, put.Record.Key)] = put.Record;
                    put.Committed = put.Record;
                    inlineDelta += InlineSize(put.Record) - InlineSize(current);
                    statuses[i] = EngineStatus.Ok;
                    break;

                case DeleteCommit delete:
                    if (!_buckets.ContainsKey(delete.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    var deleteState = StateOf(delete.Bucket);
                    if (deleteState != VersioningState.Unversioned || delete.VersionId is not null || delete.Replica is not null)
                    {
                        if (!Defer(delete, delete.Bucket, delete.Key, versioned: true))
                        {
                            statuses[i] = DeleteVersioned(batch, delete, deleteState, replaced, ref objectDelta, ref inlineDelta, ref outboxDelta);
                        }

                        continue;
                    }

                    if (Defer(delete, delete.Bucket, delete.Key, versioned: false))
                    {
                        continue;
                    }

                    var existing = Lookup(delete.Bucket, delete.Key, overlay);
                    if (existing is null)
                    {
                        statuses[i] = EngineStatus.NoSuchKey;
                        continue;
                    }

                    if (existing.IsLocked(_timeProvider.GetUtcNow(), delete.BypassGovernance))
                    {
                        statuses[i] = EngineStatus.ObjectLocked;
                        continue;
                    }

                    if (!IsExpectedCurrent(delete, existing))
                    {
                        statuses[i] = EngineStatus.PreconditionFailed;
                        continue;
                    }

                    batch.Delete(MetadataKeys.Object(delete.Bucket, delete.Key));
                    if (delete.OutboxPayload is not null)
                    {
                        AppendOutbox(batch, OutboxOperation.Delete, delete.Bucket, delete.Key, existing.ETag, delete.OutboxPayload);
                        outboxDelta++;
                    }

                    overlay[OverlayKey(delete.Bucket, delete.Key)] = null;
                    replaced.Add(existing.Extents);
                    objectDelta--;
                    inlineDelta -= InlineSize(existing);
                    statuses[i] = EngineStatus.Ok;
                    break;

                case LockCommit lockChange:
                    if (!_buckets.ContainsKey(lockChange.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (!Defer(lockChange, lockChange.Bucket, lockChange.Key, versioned: true))
                    {
                        statuses[i] = ChangeLock(batch, lockChange, overlay);
                    }

                    continue;

                case TagsCommit tags:
                    if (!_buckets.ContainsKey(tags.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (Defer(tags, tags.Bucket, tags.Key, tags.VersionId is not null))
                    {
                        continue;
                    }

                    byte[] taggedKey;
                    ObjectRecord? tagged;
                    if (tags.VersionId is not null)
                    {
                        (tagged, taggedKey) = ResolveVersion(tags.Bucket, tags.Key, tags.VersionId, includeData: true);
                        if (tagged is null || tagged.IsDeleteMarker)
                        {
                            statuses[i] = tagged is null ? EngineStatus.NoSuchVersion : EngineStatus.MethodNotAllowed;
                            continue;
                        }
                    }
                    else
                    {
                        taggedKey = MetadataKeys.Object(tags.Bucket, tags.Key);
                        tagged = LookupFull(tags.Bucket, tags.Key, overlay);
                        if (tagged is null)
                        {
                            statuses[i] = EngineStatus.NoSuchKey;
                            continue;
                        }
                    }

                    var retagged = tagged.WithTags(tags.Tags);
                    batch.Put(taggedKey, RecordSerializer.SerializeObject(retagged));
                    if (tags.VersionId is null)
                    {
                        overlay[OverlayKey(tags.Bucket, tags.Key)] = retagged;
                    }
                    statuses[i] = EngineStatus.Ok;
                    break;

                case DocumentCommit document:
                    // Bucket deletion runs alone, so the committed bucket set decides whether a setting may be written.
                    if (document.RequiredBucket is { } required && !_buckets.ContainsKey(required))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (document.Payload is { } documentPayload)
                    {
                        batch.Put(document.Key, RecordSerializer.SerializeDocument(documentPayload));
                    }
                    else
                    {
                        batch.Delete(document.Key);
                    }

                    statuses[i] = EngineStatus.Ok;
                    break;

                case SystemMetadataCommit metadata:
                    if (!_buckets.ContainsKey(metadata.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (Defer(metadata, metadata.Bucket, metadata.Key, metadata.VersionId is not null))
                    {
                        continue;
                    }

                    if (metadata.VersionId is not null)
                    {
                        var (version, versionKey) = ResolveVersion(metadata.Bucket, metadata.Key, metadata.VersionId, includeData: true);
                        if (version is null || version.IsDeleteMarker)
                        {
                            statuses[i] = version is null ? EngineStatus.NoSuchVersion : EngineStatus.MethodNotAllowed;
                            continue;
                        }

                        batch.Put(versionKey, RecordSerializer.SerializeObject(version.WithSystemMetadata(metadata.Changes)));
                        statuses[i] = EngineStatus.Ok;
                        break;
                    }

                    var metadataTarget = LookupFull(metadata.Bucket, metadata.Key, overlay);
                    if (metadataTarget is null)
                    {
                        statuses[i] = EngineStatus.NoSuchKey;
                        continue;
                    }

                    var changed = metadataTarget.WithSystemMetadata(metadata.Changes);
                    batch.Put(MetadataKeys.Object(metadata.Bucket, metadata.Key), RecordSerializer.SerializeObject(changed));
                    overlay[OverlayKey(metadata.Bucket, metadata.Key)] = changed;
                    statuses[i] = EngineStatus.Ok;
                    break;

                case ReplicationCommit replication:
                    if (!_buckets.ContainsKey(replication.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (!Defer(replication, replication.Bucket, replication.Key, versioned: true))
                    {
                        statuses[i] = ApplyReplication(batch, replication, removedOutbox, ref outboxDelta);
                    }

                    continue;

                case OutboxRemoveCommit remove:
                    foreach (var sequence in remove.Sequences)
                    {
                        var outboxKey = MetadataKeys.Outbox(sequence);
                        if (removedOutbox.Add(sequence) && _store.HasKey(outboxKey))
                        {
                            batch.Delete(outboxKey);
                            outboxDelta--;
                        }
                    }

                    statuses[i] = EngineStatus.Ok;
                    break;

                case BucketCommit { Create: { } create } bucket:
                    if (_buckets.ContainsKey(bucket.Bucket))
                    {
                        statuses[i] = EngineStatus.BucketAlreadyExists;
                        continue;
                    }

                    batch.Put(MetadataKeys.Bucket(bucket.Bucket), RecordSerializer.SerializeBucket(create));
                    foreach (var (settingName, settingPayload) in bucket.Settings)
                    {
                        batch.Put(MetadataKeys.BucketSetting(bucket.Bucket, settingName), RecordSerializer.SerializeDocument(settingPayload));
                    }

                    statuses[i] = EngineStatus.Ok;
                    break;

                case BucketCommit bucket:
                    if (!_buckets.ContainsKey(bucket.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (_store.HasObjects(bucket.Bucket) || _store.HasVersions(bucket.Bucket))
                    {
                        statuses[i] = EngineStatus.BucketNotEmpty;
                        continue;
                    }

                    // S3 (general purpose buckets) deletes a bucket whose only content is in-progress uploads: abort them.
                    foreach (var upload in _store.LoadUploads(bucket.Bucket))
                    {
                        RemoveUpload(batch, upload.Bucket, upload.Key, upload.UploadId, replaced);
                    }

                    foreach (var settingKey in _store.ListKeys(MetadataKeys.BucketSettingsOf(bucket.Bucket)))
                    {
                        batch.Delete(settingKey);
                    }

                    batch.Delete(MetadataKeys.Bucket(bucket.Bucket));
                    statuses[i] = EngineStatus.Ok;
                    break;

                case VersioningCommit versioning:
                    if (!_buckets.ContainsKey(versioning.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    batch.Put(MetadataKeys.BucketSetting(versioning.Bucket, StorageEngine.VersioningSettingName), RecordSerializer.SerializeDocument(versioning.Payload));
                    statuses[i] = EngineStatus.Ok;
                    break;

                case UploadCreateCommit create:
                    if (!_buckets.ContainsKey(create.Upload.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    batch.Put(MetadataKeys.Upload(create.Upload.Bucket, create.Upload.Key, create.Upload.UploadId), RecordSerializer.SerializeUpload(create.Upload));
                    statuses[i] = EngineStatus.Ok;
                    break;

                case PartCommit part:
                    if (part.Part.Data.Extents.Length > 0 && flushError is not null)
                    {
                        _allocator.Free(part.Part.Data.Extents);
                        part.Completion.TrySetException(new IOException($"Device flush failed; part {part.Part.PartNumber} of upload {part.UploadId} was not stored.", flushError));
                        continue;
                    }

                    // Complete, abort and bucket deletion run alone, so committed state decides whether the upload exists.
                    if (!_store.HasKey(MetadataKeys.Upload(part.Bucket, part.Key, part.UploadId)))
                    {
                        _allocator.Free(part.Part.Data.Extents);
                        statuses[i] = EngineStatus.NoSuchUpload;
                        continue;
                    }

                    var partOverlayKey = string.Concat(part.UploadId, "/", part.Part.PartNumber.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    var previousPart = partOverlay.GetValueOrDefault(partOverlayKey) ?? _store.GetPart(part.UploadId, part.Part.PartNumber, includeData: false);
                    if (previousPart is not null)
                    {
                        replaced.Add(previousPart.Data.Extents);
                    }

                    batch.Put(MetadataKeys.Part(part.UploadId, part.Part.PartNumber), RecordSerializer.SerializePart(part.Part));
                    partOverlay[partOverlayKey] = part.Part;
                    statuses[i] = EngineStatus.Ok;
                    break;

                case CompleteCommit complete:
                    statuses[i] = Complete(batch, complete, replaced, ref objectDelta, ref inlineDelta, ref outboxDelta);
                    break;

                case AbortCommit abort:
                    if (!_buckets.ContainsKey(abort.Bucket))
                    {
                        statuses[i] = EngineStatus.NoSuchBucket;
                        continue;
                    }

                    if (!_store.HasKey(MetadataKeys.Upload(abort.Bucket, abort.Key, abort.UploadId)))
                    {
                        statuses[i] = EngineStatus.NoSuchUpload;
                        continue;
                    }

                    RemoveUpload(batch, abort.Bucket, abort.Key, abort.UploadId, replaced);
                    statuses[i] = EngineStatus.Ok;
                    break;
            }
        }

        if (_pendingOutboxSequence != Interlocked.Read(ref _lastOutboxSequence))
        {
            var highWater = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(highWater, _pendingOutboxSequence);
            batch.Put(MetadataKeys.OutboxHighWater, highWater);
        }

        if (batch.Count() > 0)
        {
            try
            {
                _store.Write(batch);
            }
            catch (Exception ex)
            {
                // The outcome of a failed synced write is unknown: leave every extent allocated (reclaimed at restart)
                // and keep the outbox sequences handed out in this batch consumed (gaps are allowed, reuse is not).
                for (var i = 0; i < group.Count; i++)
                {
                    if (statuses[i] == EngineStatus.Ok)
                    {
                        group[i].Completion.TrySetException(new IOException("Metadata commit failed.", ex));
                        statuses[i] = null;
                    }
                }
            }
        }

        var committed = statuses.Any(static s => s == EngineStatus.Ok);
        if (committed)
        {
            Interlocked.Add(ref _objectCount, objectDelta);
            Interlocked.Add(ref _inlineBytes, inlineDelta);
            Interlocked.Add(ref _outboxCount, outboxDelta);
            if (_pendingOutboxSequence != Interlocked.Read(ref _lastOutboxSequence))
            {
                Interlocked.Exchange(ref _lastOutboxSequence, _pendingOutboxSequence);
                Interlocked.Exchange(ref _outboxSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }

            foreach (var old in replaced)
            {
                _leases.FreeWhenUnleased(old);
            }

            foreach (var operation in group)
            {
                if (operation is BucketCommit bucket && statuses[0] == EngineStatus.Ok)
                {
                    if (bucket.Create is { } record)
                    {
                        _buckets[bucket.Bucket] = record;
                        if (bucket.Settings.TryGetValue(StorageEngine.VersioningSettingName, out var initial) && StorageEngine.TryParseVersioning(initial, out var initialState))
                        {
                            _versioning[bucket.Bucket] = initialState;
                        }
                    }
                    else
                    {
                        _buckets.TryRemove(bucket.Bucket, out _);
                        _versioning.TryRemove(bucket.Bucket, out _);
                    }
                }
                else if (operation is VersioningCommit versioning && statuses[0] == EngineStatus.Ok)
                {
                    _versioning[versioning.Bucket] = versioning.State;
                }
            }

            if (ChangesBucketSettings(group, statuses))
            {
                var generation = Interlocked.Increment(ref _settingsGeneration);
                Volatile.Write(ref _settingsStamp, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_settingsEpoch}.{generation}"));
            }
        }

        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _operations, group.Count);
        for (var i = 0; i < group.Count; i++)
        {
            if (statuses[i] is { } status)
            {
                group[i].Completion.TrySetResult(status);
            }
        }
    }

    /// <summary>Whether a committed operation of the group created or deleted a bucket, changed a bucket's settings or a shared system document.</summary>
    private static bool ChangesBucketSettings(List<CommitOperation> group, EngineStatus?[] statuses)
    {
        for (var i = 0; i < group.Count; i++)
        {
            if (statuses[i] == EngineStatus.Ok && group[i] is BucketCommit or VersioningCommit or DocumentCommit { RequiredBucket: not null } or DocumentCommit { Shared: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Deletes an upload record and all its part records; the parts' extents are to be freed after the commit.</summary>
    private void RemoveUpload(WriteBatch batch, string bucket, string key, string uploadId, List<Extent[]> freed)
    {
        foreach (var part in _store.ListParts(uploadId, 0, int.MaxValue, includeData: false).Parts)
        {
            batch.Delete(MetadataKeys.Part(uploadId, part.PartNumber));
            freed.Add(part.Data.Extents);
        }

        batch.Delete(MetadataKeys.Upload(bucket, key, uploadId));
    }

    /// <summary>Decides and stages a CompleteMultipartUpload (runs alone in its group, so committed state is current).</summary>
    private EngineStatus Complete(WriteBatch batch, CompleteCommit complete, List<Extent[]> replaced, ref long objectDelta, ref long inlineDelta, ref long outboxDelta)
    {
        if (!_buckets.ContainsKey(complete.Bucket))
        {
            return EngineStatus.NoSuchBucket;
        }

        var upload = _store.GetUpload(complete.Bucket, complete.Key, complete.UploadId);
        if (upload is null)
        {
            return EngineStatus.NoSuchUpload;
        }

        var listed = complete.Parts;
        if (listed.Count == 0)
        {
            return EngineStatus.InvalidPart;
        }

        for (var i = 1; i < listed.Count; i++)
        {
            if (listed[i].PartNumber <= listed[i - 1].PartNumber)
            {
                return EngineStatus.InvalidPartOrder;
            }
        }

        var stored = _store.ListParts(complete.UploadId, 0, int.MaxValue, includeData: true).Parts.ToDictionary(static p => p.PartNumber);
        var segments = new Objects.DataSegment[listed.Count];
        var extents = new List<Extent>();
        using var md5 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
        Span<byte> digest = stackalloc byte[16];
        long size = 0;
        for (var i = 0; i < listed.Count; i++)
        {
            if (!stored.TryGetValue(listed[i].PartNumber, out var part)
                || listed[i].ETag is null
                || !string.Equals(listed[i].ETag.Trim().Trim('"'), part.ETag, StringComparison.OrdinalIgnoreCase)
                || Convert.FromHexString(part.ETag, digest, out _, out var digestLength) != System.Buffers.OperationStatus.Done
                || digestLength != 16)
            {
                return EngineStatus.InvalidPart;
            }

            md5.AppendData(digest);
            segments[i] = part.Data;
            extents.AddRange(part.Data.Extents);
            size += part.Size;
        }

        if (size > MaxObjectSize)
        {
            return EngineStatus.EntityTooLarge;
        }

        for (var i = 0; i < listed.Count - 1; i++)
        {
            if (stored[listed[i].PartNumber].Size < MinPartSize)
            {
                return EngineStatus.EntityTooSmall;
            }
        }

        md5.GetHashAndReset(digest);
        var record = new ObjectRecord
        {
            Bucket = complete.Bucket,
            Key = complete.Key,
            Size = size,
            ETag = string.Concat(Convert.ToHexStringLower(digest), "-", listed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            LastModified = _timeProvider.GetUtcNow(),
            ContentType = upload.ContentType,
            UserMetadata = upload.UserMetadata,
            SystemMetadata = ReplicationStatus.With(upload.SystemMetadata, ReplicationStatus.ForNewVersion(complete.OutboxPayload is not null, complete.Replica)),
            Tags = upload.Tags,
            Retention = upload.Retention,
            LegalHold = upload.LegalHold,
            PartCount = listed.Count,
            Extents = [.. extents],
            Segments = segments,
        };

        var state = StateOf(complete.Bucket);
        if (state == VersioningState.Unversioned ? Lookup(complete.Bucket, complete.Key, [])?.IsLocked(_timeProvider.GetUtcNow()) == true
            : state == VersioningState.Suspended && NullVersionLocked(complete.Bucket, complete.Key))
        {
            // Object Lock: the version the completed object would replace in place is protected; the upload stays.
            return EngineStatus.ObjectLocked;
        }

        if (complete.Replica is not null)
        {
            if (state != VersioningState.Enabled)
            {
                return EngineStatus.InvalidBucketState;
            }

            var applied = StageReplica(batch, record, complete.Replica, replaced, ref objectDelta, ref inlineDelta, out var existing);
            if (applied is null)
            {
                // Already stored: the upload is consumed and its parts freed, as a completed upload's would be.
                RemoveUpload(batch, complete.Bucket, complete.Key, complete.UploadId, replaced);
                complete.Result = existing;
                return EngineStatus.Ok;
            }

            record = applied;
        }
        else if (state != VersioningState.Unversioned)
        {
            record = StageVersion(batch, record, state, replaced, ref objectDelta, ref inlineDelta);
        }
        else
        {
            var current = Lookup(complete.Bucket, complete.Key, []);
            if (current is not null)
            {
                replaced.Add(current.Extents);
            }
            else
            {
                objectDelta++;
            }

            inlineDelta -= InlineSize(current);
            batch.Put(MetadataKeys.Object(complete.Bucket, complete.Key), RecordSerializer.SerializeObject(record));
        }

        var listedNumbers = listed.Select(static p => p.PartNumber).ToHashSet();
        foreach (var part in stored.Values)
        {
            batch.Delete(MetadataKeys.Part(complete.UploadId, part.PartNumber));
            if (!listedNumbers.Contains(part.PartNumber))
            {
                replaced.Add(part.Data.Extents);
            }
        }

        batch.Delete(MetadataKeys.Upload(complete.Bucket, complete.Key, complete.UploadId));
        if (complete.OutboxPayload is not null)
        {
            complete.OutboxSequence = AppendOutbox(batch, OutboxOperation.Put, record.Bucket, record.Key, record.ETag, complete.OutboxPayload, state == VersioningState.Unversioned ? null : record.VersionId, false);
            outboxDelta++;
        }

        complete.Result = record;
        return EngineStatus.Ok;
    }

    private VersioningState StateOf(string bucket) => _versioning.GetValueOrDefault(bucket);

    /// <summary>
    /// Makes every version id issued from now on newer than <paramref name="stamp"/> (the newest stored version), so a
    /// clock that went backwards across a restart cannot order new versions before existing ones. Call before the
    /// first operation is submitted.
    /// </summary>
    public void SeedVersionStamp(long stamp) => _lastVersionStamp = Math.Max(_lastVersionStamp, stamp);

    /// <summary>A new version stamp: microseconds of the clock, strictly increasing within this engine.</summary>
    private long NextVersionStamp()
    {
        _lastVersionStamp = Math.Max(VersionIds.StampOf(_timeProvider.GetUtcNow()), _lastVersionStamp + 1);
        return _lastVersionStamp;
    }

    /// <summary>
    /// Stages <paramref name="record"/> (data or a delete marker) as the newest version of its key in a versioned bucket,
    /// deciding against committed state (the caller made sure no earlier operation of the group touched the key):
    /// Enabled gives it a new version id; Suspended makes it the null version, replacing the previous null version
    /// (whose extents are freed after the commit). A current data version that stays is moved from <c>o\0</c> to the
    /// noncurrent range <c>v\0</c>; a data version becomes current in <c>o\0</c>, a delete marker goes to <c>v\0</c>
    /// (and the key has no current data version). Returns the record as staged.
    /// </summary>
    private ObjectRecord StageVersion(WriteBatch batch, ObjectRecord record, VersioningState state, List<Extent[]> replaced, ref long objectDelta, ref long inlineDelta, string? givenSlot = null)
    {
        var bucket = record.Bucket;
        var key = record.Key;
        var current = LookupFull(bucket, key, []);
        var slot = givenSlot ?? VersionIds.Create(NextVersionStamp());
        var isNull = state == VersioningState.Suspended;
        var staged = record.WithVersion(slot, isNull, isLatest: true);
        if (isNull)
        {
            if (current is not null && current.VersionId == VersionIds.Null)
            {
                replaced.Add(current.Extents);
                objectDelta--;
                inlineDelta -= InlineSize(current);
                current = null;
            }

            if (_store.GetNullSlot(bucket, key) is { } nullSlot)
            {
                if (_store.GetVersion(bucket, key, nullSlot, includeData: false) is { } oldNull)
                {
                    batch.Delete(MetadataKeys.Version(bucket, key, nullSlot));
                    if (!oldNull.IsDeleteMarker)
                    {
                        replaced.Add(oldNull.Extents);
                        objectDelta--;
                        inlineDelta -= InlineSize(oldNull);
                    }
                }

                batch.Delete(MetadataKeys.NullVersion(bucket, key));
            }
        }

        if (current is not null)
        {
            var placed = current.VersionSlot is null
                ? current.WithVersion(VersionIds.Create(Math.Min(VersionIds.StampOf(current.LastModified), _lastVersionStamp - 1)), isNull: true)
                : current.WithVersion(current.VersionSlot, current.IsNullVersion);
            batch.Put(MetadataKeys.Version(bucket, key, placed.VersionSlot!), RecordSerializer.SerializeObject(placed));
            if (placed.IsNullVersion)
            {
                batch.Put(MetadataKeys.NullVersion(bucket, key), NullPointer(placed.VersionSlot!));
            }
        }

        if (staged.IsDeleteMarker)
        {
            batch.Delete(MetadataKeys.Object(bucket, key));
            batch.Put(MetadataKeys.Version(bucket, key, slot), RecordSerializer.SerializeObject(staged));
            if (isNull)
            {
                batch.Put(MetadataKeys.NullVersion(bucket, key), NullPointer(slot));
            }
        }
        else
        {
            batch.Put(MetadataKeys.Object(bucket, key), RecordSerializer.SerializeObject(staged));
            objectDelta++;
            inlineDelta += InlineSize(staged);
        }

        return staged;
    }

    /// <summary>
    /// Stages another site's version (data or delete marker) in an Enabled bucket under its own version id, deciding
    /// against committed state: when that id is already stored, nothing is staged and <paramref name="existing"/> is the
    /// stored version (null is returned); when it is newer than every stored version of the key it becomes the latest
    /// (<see cref="StageVersion"/>); otherwise it is inserted as a noncurrent version at its place in the order. Version
    /// stamps issued here afterwards are newer than the replica's, so a local write that follows a replica wins over it.
    /// </summary>
    private ObjectRecord? StageReplica(WriteBatch batch, ObjectRecord record, ReplicaVersion replica, List<Extent[]> replaced, ref long objectDelta, ref long inlineDelta, out ObjectRecord? existing)
    {
        var bucket = record.Bucket;
        var key = record.Key;
        var slot = replica.VersionId;
        var current = _store.GetObject(bucket, key, includeData: false);
        if (current is not null && current.VersionId == slot)
        {
            existing = current.WithLatest(true);
            return null;
        }

        var (found, _) = ResolveVersion(bucket, key, slot, includeData: false);
        if (found is not null)
        {
            existing = found;
            return null;
        }

        existing = null;
        var stamp = VersionIds.StampOf(slot);
        _lastVersionStamp = Math.Max(_lastVersionStamp, stamp);
        var identified = record.AsReplica(replica.ETag, DateTimeOffset.UnixEpoch.AddTicks(stamp * 10));
        var currentSlot = current is null ? null : current.VersionSlot ?? VersionIds.Create(VersionIds.StampOf(current.LastModified));
        var newestSlot = _store.NewestVersion(bucket, key, null, includeData: false)?.VersionSlot;
        var isNewest = (currentSlot is null || string.CompareOrdinal(slot, currentSlot) < 0)
            && (newestSlot is null || string.CompareOrdinal(slot, newestSlot) < 0);
        if (isNewest)
        {
            return StageVersion(batch, identified, VersioningState.Enabled, replaced, ref objectDelta, ref inlineDelta, slot);
        }

        var placed = identified.WithVersion(slot, isNull: false, isLatest: false);
        batch.Put(MetadataKeys.Version(bucket, key, slot), RecordSerializer.SerializeObject(placed));
        if (!placed.IsDeleteMarker)
        {
            objectDelta++;
            inlineDelta += InlineSize(placed);
        }

        return placed;
    }

    /// <summary>
    /// Applies a <see cref="ReplicationCommit"/> against committed state: the status goes on the version when it still
    /// exists (a replica's status is never changed), the completed outbox entry is removed, a resync entry appended.
    /// </summary>
    private EngineStatus ApplyReplication(WriteBatch batch, ReplicationCommit replication, HashSet<long> removedOutbox, ref long outboxDelta)
    {
        var bucket = replication.Bucket;
        var key = replication.Key;
        ObjectRecord? target;
        byte[] storageKey;
        if (replication.VersionId is null)
        {
            storageKey = MetadataKeys.Object(bucket, key);
            target = LookupFull(bucket, key, []);
        }
        else
        {
            (target, storageKey) = ResolveVersion(bucket, key, replication.VersionId, includeData: true);
        }

        if (replication.CompletedSequence is { } sequence)
        {
            var outboxKey = MetadataKeys.Outbox(sequence);
            if (removedOutbox.Add(sequence) && _store.HasKey(outboxKey))
            {
                batch.Delete(outboxKey);
                outboxDelta--;
            }
        }

        if (target is null)
        {
            return replication.EnqueuePayload is null ? EngineStatus.Ok : replication.VersionId is null ? EngineStatus.NoSuchKey : EngineStatus.NoSuchVersion;
        }

        if (target.SystemMetadata.GetValueOrDefault(ReplicationStatus.MetadataName) != ReplicationStatus.Replica)
        {
            var changes = new Dictionary<string, string?>(StringComparer.Ordinal) { [ReplicationStatus.MetadataName] = replication.Status };
            batch.Put(storageKey, RecordSerializer.SerializeObject(target.WithSystemMetadata(changes)));
        }

        if (replication.EnqueuePayload is { } payload)
        {
            var operation = target.IsDeleteMarker ? OutboxOperation.Delete : OutboxOperation.Put;
            replication.EnqueuedSequence = AppendOutbox(batch, operation, bucket, key, target.IsDeleteMarker ? null : target.ETag, payload, target.VersionId, target.IsDeleteMarker);
            outboxDelta++;
        }

        return EngineStatus.Ok;
    }

    /// <summary>
    /// True when the key's null version (current or noncurrent, in committed state) is protected by Object Lock, so a
    /// write or delete that would replace it in place (versioning Suspended) must be refused.
    /// </summary>
    private bool NullVersionLocked(string bucket, string key, bool bypassGovernance = false)
    {
        var now = _timeProvider.GetUtcNow();
        if (Lookup(bucket, key, []) is { } current && current.VersionId == VersionIds.Null)
        {
            return current.IsLocked(now, bypassGovernance);
        }

        return _store.GetNullSlot(bucket, key) is { } nullSlot
            && _store.GetVersion(bucket, key, nullSlot, includeData: false) is { } oldNull
            && oldNull.IsLocked(now, bypassGovernance);
    }

    /// <summary>
    /// Applies a <see cref="LockCommit"/> against committed state (the caller deferred it behind earlier changes of the
    /// key): rewrites the version record in place with the new retention and/or legal hold.
    /// </summary>
    private EngineStatus ChangeLock(WriteBatch batch, LockCommit change, Dictionary<string, ObjectRecord?> overlay)
    {
        byte[] storageKey;
        ObjectRecord? target;
        if (change.VersionId is not null)
        {
            (target, storageKey) = ResolveVersion(change.Bucket, change.Key, change.VersionId, includeData: true);
            if (target is null)
            {
                return EngineStatus.NoSuchVersion;
            }
        }
        else
        {
            storageKey = MetadataKeys.Object(change.Bucket, change.Key);
            target = LookupFull(change.Bucket, change.Key, overlay);
            if (target is null)
            {
                return _store.NewestVersion(change.Bucket, change.Key, null, includeData: false) is { IsDeleteMarker: true }
                    ? EngineStatus.MethodNotAllowed
                    : EngineStatus.NoSuchKey;
            }
        }

        if (target.IsDeleteMarker)
        {
            return EngineStatus.MethodNotAllowed;
        }

        var retention = target.Retention;
        if (change.SetRetention)
        {
            if (target.Retention is { } old && old.IsActive(_timeProvider.GetUtcNow()))
            {
                // Keeping the mode and not moving the date earlier is always allowed; anything else (shorten, remove,
                // change mode) only for GOVERNANCE with bypass. COMPLIANCE can never be weakened.
                var extends = change.Retention is { } wanted && wanted.Mode == old.Mode && wanted.RetainUntil >= old.RetainUntil;
                if (!extends && (old.Mode == RetentionMode.Compliance || !change.BypassGovernance))
                {
                    return EngineStatus.ObjectLocked;
                }
            }

            retention = change.Retention;
        }

        var updated = target.WithLock(retention, change.LegalHold ?? target.LegalHold);
        batch.Put(storageKey, RecordSerializer.SerializeObject(updated));
        if (change.VersionId is null)
        {
            overlay[OverlayKey(change.Bucket, change.Key)] = updated;
        }

        change.Committed = updated;
        return EngineStatus.Ok;
    }

    private static byte[] NullPointer(string slot) => RecordSerializer.SerializeDocument(System.Text.Encoding.ASCII.GetBytes(slot));

    private (ObjectRecord? Record, byte[] StorageKey) ResolveVersion(string bucket, string key, string versionId, bool includeData) =>
        _store.FindVersion(bucket, key, versionId, includeData);

    /// <summary>
    /// A delete in a versioned bucket, or a delete of a named version in any bucket: without a version id, adds a delete
    /// marker (<see cref="StageVersion"/>); with one, removes exactly that version (its extents are freed after the
    /// commit) and, when the key is left without a current data version, promotes the newest remaining version if it
    /// holds data (a delete marker stays the latest version).
    /// </summary>
    /// <summary>True when the delete has no expectation, or <paramref name="current"/> is still the expected version.</summary>
    private static bool IsExpectedCurrent(DeleteCommit delete, ObjectRecord? current) =>
        delete.ExpectedCurrent is not { } expected
        || (current is { IsDeleteMarker: false } && current.ETag == expected.ETag && current.LastModified == expected.LastModified);

    private EngineStatus DeleteVersioned(WriteBatch batch, DeleteCommit delete, VersioningState state, List<Extent[]> replaced, ref long objectDelta, ref long inlineDelta, ref long outboxDelta)
    {
        var bucket = delete.Bucket;
        var key = delete.Key;
        if (delete.VersionId is null)
        {
            if (delete.ExpectedCurrent is not null && !IsExpectedCurrent(delete, _store.GetObject(bucket, key, includeData: false)))
            {
                return EngineStatus.PreconditionFailed;
            }

            if (state == VersioningState.Suspended && NullVersionLocked(bucket, key, delete.BypassGovernance))
            {
                // A null delete marker replaces the null version in place: refused while that version is protected.
                return EngineStatus.ObjectLocked;
            }

            var markerStatus = ReplicationStatus.ForNewVersion(delete.OutboxPayload is not null, delete.Replica);
            var marker = new ObjectRecord
            {
                Bucket = bucket,
                Key = key,
                Size = 0,
                ETag = string.Empty,
                LastModified = _timeProvider.GetUtcNow(),
                IsDeleteMarker = true,
                SystemMetadata = ReplicationStatus.With(new Dictionary<string, string>(), markerStatus),
            };
            if (delete.Replica is not null)
            {
                if (state != VersioningState.Enabled)
                {
                    return EngineStatus.InvalidBucketState;
                }

                var applied = StageReplica(batch, marker, delete.Replica, replaced, ref objectDelta, ref inlineDelta, out var existingMarker);
                var result = applied ?? existingMarker!;
                delete.DeleteMarker = result.IsDeleteMarker;
                delete.ResultVersionId = result.VersionId;
                return EngineStatus.Ok;
            }

            var staged = StageVersion(batch, marker, state, replaced, ref objectDelta, ref inlineDelta);
            delete.DeleteMarker = true;
            delete.ResultVersionId = staged.VersionId;
            if (delete.OutboxPayload is not null)
            {
                AppendOutbox(batch, OutboxOperation.Delete, bucket, key, null, delete.OutboxPayload, staged.VersionId, true);
                outboxDelta++;
            }

            return EngineStatus.Ok;
        }

        var (target, storageKey) = ResolveVersion(bucket, key, delete.VersionId, includeData: false);
        if (target is null)
        {
            return EngineStatus.NoSuchVersion;
        }

        if (target.IsLocked(_timeProvider.GetUtcNow(), delete.BypassGovernance))
        {
            return EngineStatus.ObjectLocked;
        }

        var wasCurrent = !target.IsDeleteMarker && storageKey.AsSpan().StartsWith(MetadataKeys.ObjectPrefix);
        batch.Delete(storageKey);
        if (!wasCurrent && target.IsNullVersion)
        {
            batch.Delete(MetadataKeys.NullVersion(bucket, key));
        }

        if (!target.IsDeleteMarker)
        {
            replaced.Add(target.Extents);
            objectDelta--;
            inlineDelta -= InlineSize(target);
        }

        if (wasCurrent || !_store.HasKey(MetadataKeys.Object(bucket, key)))
        {
            var next = _store.NewestVersion(bucket, key, wasCurrent ? null : target.VersionSlot, includeData: true);
            if (next is { IsDeleteMarker: false, VersionSlot: { } nextSlot })
            {
                batch.Delete(MetadataKeys.Version(bucket, key, nextSlot));
                batch.Put(MetadataKeys.Object(bucket, key), RecordSerializer.SerializeObject(next));
                if (next.IsNullVersion)
                {
                    batch.Delete(MetadataKeys.NullVersion(bucket, key));
                }
            }
        }

        delete.DeleteMarker = target.IsDeleteMarker;
        delete.ResultVersionId = target.VersionId;
        if (delete.OutboxPayload is not null)
        {
            AppendOutbox(batch, OutboxOperation.DeleteVersion, bucket, key, target.IsDeleteMarker ? null : target.ETag, delete.OutboxPayload, target.VersionId, target.IsDeleteMarker);
            outboxDelta++;
        }

        return EngineStatus.Ok;
    }

    private long AppendOutbox(RocksDbSharp.WriteBatch batch, OutboxOperation operation, string bucket, string key, string? etag, byte[] payload, string? versionId = null, bool isDeleteMarker = false)
    {
        var sequence = ++_pendingOutboxSequence;
        var entry = new OutboxEntry { Sequence = sequence, Operation = operation, Bucket = bucket, Key = key, ETag = etag, CreatedAt = _timeProvider.GetUtcNow(), Payload = payload, VersionId = versionId, IsDeleteMarker = isDeleteMarker };
        batch.Put(MetadataKeys.Outbox(sequence), RecordSerializer.SerializeOutbox(entry));
        return sequence;
    }

    private static long InlineSize(ObjectRecord? record) => record is { HasExtents: false } ? record.Size : 0;

    /// <summary>
    /// As <see cref="Lookup"/>, but a committed record is read with its full layout (chunk CRCs, inline data) so that it
    /// can be rewritten. Records in the overlay are always complete (staged by this group).
    /// </summary>
    private ObjectRecord? LookupFull(string bucket, string key, Dictionary<string, ObjectRecord?> overlay)
    {
        if (overlay.TryGetValue(OverlayKey(bucket, key), out var pending))
        {
            return pending;
        }

        return _store.GetObject(bucket, key, includeData: true);
    }

    private ObjectRecord? Lookup(string bucket, string key, Dictionary<string, ObjectRecord?> overlay)
    {
        if (overlay.TryGetValue(OverlayKey(bucket, key), out var pending))
        {
            return pending;
        }

        return _store.GetObject(bucket, key, includeData: false);
    }
}
