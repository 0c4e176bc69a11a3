using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ComIO.Storage.Allocation;
using ComIO.Storage.Checksums;
using ComIO.Storage.Devices;
using ComIO.Storage.Encryption;
using ComIO.Storage.Metadata;
using ComIO.Storage.Objects;

namespace ComIO.Storage;

/// <summary>
/// The storage engine of one device: objects live in device extents (or inline in metadata when small), metadata in
/// RocksDB. Every public member is thread-safe.
/// Write protocol: reserve extents in memory, stream the body through pooled aligned buffers computing CRC32C per chunk,
/// MD5 and any requested checksum, flush the device, commit one synced metadata batch (group-committed with concurrent
/// writers), then free replaced extents and acknowledge. A crash at any point leaves the old or the new object; extents
/// not referenced by committed metadata are free at start-up (the allocator is rebuilt from metadata).
/// Read protocol: every chunk's CRC32C is verified before any of its bytes are returned.
/// Multipart uploads (StorageEngine.Multipart.cs) store parts like objects and stitch them into one object on completion
/// without copying data: the object record lists each part's extents and chunk CRCs as a segment.
/// </summary>
public sealed partial class StorageEngine : IAsyncDisposable
{
    private const int MaxBucketNameBytes = 255;
    private const int MaxKeyBytes = 1024;
    private const int MaxInlineThreshold = 1024 * 1024;

    /// <summary>How much hashed body a PUT gathers before writing it to the device while the rest still arrives.</summary>
    private const int WriteSliceBytes = 256 * 1024;

    /// <summary>Device read size for the first buffer's worth of a range read when no other range read is open.</summary>
    private const int LoneReaderLeadReadBytes = 256 * 1024;

    private readonly StorageEngineOptions _options;
    private int _openReadStreams; // ObjectReadStreams not yet disposed
    private readonly IBlockDevice _device;
    private readonly MetadataStore _store;
    private readonly ExtentAllocator _allocator;
    private readonly ExtentLeases _leases;
    private readonly ConcurrentDictionary<string, BucketRecord> _buckets;
    private readonly ConcurrentDictionary<string, VersioningState> _versioning;
    private readonly GroupCommitter _committer;
    private readonly AlignedBufferPool _bufferPool;
    private readonly StorageMetrics _metrics;
    private readonly CancellationTokenSource _shutdown = new();
    private int _disposed;
    private int _activeOperations;

    private StorageEngine(
        StorageEngineOptions options,
        IBlockDevice device,
        Superblock superblock,
        MetadataStore store,
        ExtentAllocator allocator,
        ConcurrentDictionary<string, BucketRecord> buckets,
        ConcurrentDictionary<string, VersioningState> versioning,
        long objectCount,
        long inlineBytes,
        (long LastSequence, long Count) outbox)
    {
        _options = options;
        _device = device;
        Superblock = superblock;
        _store = store;
        _allocator = allocator;
        _leases = new ExtentLeases(allocator);
        _buckets = buckets;
        _versioning = versioning;
        _bufferPool = new AlignedBufferPool(options.IoBufferSize, device.BlockSize, maxRetained: Math.Max(32, 4 * Environment.ProcessorCount));
        _metrics = new StorageMetrics(superblock.DeviceId);
        _committer = new GroupCommitter(store, device, allocator, _leases, buckets, objectCount, inlineBytes, options.MaxCommitGroupSize, options.CommitGatherDelay, _metrics, outbox.LastSequence, outbox.Count, options.TimeProvider, versioning);
    }

    /// <summary>The meter name for OpenTelemetry wiring (<c>AddMeter(StorageEngine.MeterName)</c>).</summary>
    public static string MeterName => StorageMetrics.MeterName;

    public Guid DeviceId => Superblock.DeviceId;

    public Superblock Superblock { get; }

    /// <summary>Number of commit groups so far; with concurrent writers this is far below <see cref="CommitOperationCount"/>.</summary>
    public long CommitGroupCount => _committer.GroupCount;

    public long CommitOperationCount => _committer.OperationCount;

    /// <summary>
    /// Changes whenever a bucket is created or deleted, a bucket's settings (including versioning) change or a shared
    /// system document (<see cref="SetSharedDocumentAsync"/>) changes on this engine, and differs between engine
    /// instances: a reader that takes it before <see cref="GetBucketSettings"/> or <see cref="GetSystemDocument"/> may
    /// later compare it with the current value to learn whether what it read is still current.
    /// </summary>
    public string BucketSettingsStamp => _committer.BucketSettingsStamp;

    /// <summary>Metadata iterator steps taken by <see cref="ListObjects"/>, <see cref="ListMultipartUploads"/> and <see cref="ListParts"/> (diagnostics).</summary>
    internal long ListSteps => _store.ListSteps;

    internal long MemtableEntries => _store.MemtableEntries;

    /// <summary>
    /// Opens a formatted device. Throws <see cref="StorageFormatException"/> naming the path and the problem for an
    /// unformatted device, unknown magic/version, corrupt superblock, or a metadata store belonging to another device.
    /// </summary>
    public static Task<StorageEngine> OpenAsync(StorageEngineOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ValidateOptions(options);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(() => Open(options), cancellationToken);
    }

    private static void ValidateOptions(StorageEngineOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.DevicePath);
        ArgumentException.ThrowIfNullOrEmpty(options.MetadataPath);
        if (options.ChunkSize < 512 || (options.ChunkSize & (options.ChunkSize - 1)) != 0 || options.ChunkSize > options.IoBufferSize)
        {
            throw new ArgumentException($"ChunkSize {options.ChunkSize} must be a power of two, at least 512 and at most IoBufferSize {options.IoBufferSize}.", nameof(options));
        }

        if (options.IoBufferSize % options.ChunkSize != 0)
        {
            throw new ArgumentException($"IoBufferSize {options.IoBufferSize} must be a multiple of ChunkSize {options.ChunkSize}.", nameof(options));
        }

        if (options.InlineThreshold < 0 || options.InlineThreshold > MaxInlineThreshold)
        {
            throw new ArgumentException($"InlineThreshold must be between 0 and {MaxInlineThreshold}.", nameof(options));
        }
    }

    private static StorageEngine Open(StorageEngineOptions options)
    {
        if (options.DeviceFactory is null && !File.Exists(options.DevicePath))
        {
            throw new StorageFormatException($"Device '{options.DevicePath}' does not exist; format it first.");
        }

        var device = options.DeviceFactory?.Invoke(options.DevicePath) ?? DirectIoBlockDevice.Open(options.DevicePath, exclusive: true);
        MetadataStore? store = null;
        try
        {
            if (options.DeviceKind == DeviceKind.Block && device is DirectIoBlockDevice { IsBlockDevice: false })
            {
                throw new StorageFormatException($"Device '{options.DevicePath}' is configured as a block device but is a regular file.");
            }

            if (!DeviceFormatter.TryReadSuperblock(device, out var superblock, out var problem))
            {
                throw new StorageFormatException($"Cannot open device '{options.DevicePath}': {problem}.");
            }

            if (superblock!.BlockSize != device.BlockSize)
            {
                if (options.DeviceFactory is not null)
                {
                    throw new StorageFormatException($"Device '{options.DevicePath}' was formatted with block size {superblock.BlockSize} but opened with {device.BlockSize}.");
                }

                device.Dispose();
                device = DirectIoBlockDevice.Open(options.DevicePath, superblock.BlockSize, exclusive: true);
            }

            if (superblock.Capacity > device.Capacity)
            {
                throw new StorageFormatException($"Device '{options.DevicePath}' is {device.Capacity} bytes but was formatted as {superblock.Capacity} bytes.");
            }

            if (options.ChunkSize % superblock.BlockSize != 0)
            {
                throw new ArgumentException($"ChunkSize {options.ChunkSize} must be a multiple of the device block size {superblock.BlockSize}.", nameof(options));
            }

            try
            {
                store = MetadataStore.Open(options.MetadataPath);
            }
            catch (RocksDbSharp.RocksDbException ex)
            {
                throw new IOException($"Cannot open metadata store '{options.MetadataPath}' for device '{options.DevicePath}' (is another engine using it?): {ex.Message}", ex);
            }

            PairWithMetadata(options, device, superblock, store);

            var buckets = new ConcurrentDictionary<string, BucketRecord>(StringComparer.Ordinal);
            var versioning = new ConcurrentDictionary<string, VersioningState>(StringComparer.Ordinal);
            foreach (var bucket in store.LoadBuckets())
            {
                buckets[bucket.Name] = bucket;
                var setting = store.GetDocument(MetadataKeys.BucketSetting(bucket.Name, VersioningSettingName), "bucket setting");
                if (setting is not null)
                {
                    versioning[bucket.Name] = TryParseVersioning(setting, out var state)
                        ? state
                        : throw new StorageFormatException($"Metadata store '{options.MetadataPath}' has an invalid versioning setting for bucket '{bucket.Name}'.");
                }
            }

            var used = new List<Extent>();
            long objectCount = 0;
            long inlineBytes = 0;
            string? newestSlot = null;
            foreach (var record in store.ScanObjects().Concat(store.ScanVersions()))
            {
                if (record.VersionSlot is { } slot && (newestSlot is null || string.CompareOrdinal(slot, newestSlot) < 0))
                {
                    newestSlot = slot;
                }

                if (record.IsDeleteMarker)
                {
                    continue;
                }

                objectCount++;
                if (record.HasExtents)
                {
                    used.AddRange(record.Extents);
                }
                else
                {
                    inlineBytes += record.Size;
                }
            }

            foreach (var partExtents in store.ScanPartExtents())
            {
                used.AddRange(partExtents);
            }

            ExtentAllocator allocator;
            try
            {
                allocator = ExtentAllocator.Rebuild(superblock.DataOffset, superblock.Capacity, superblock.BlockSize, used);
            }
            catch (InvalidDataException ex)
            {
                throw new StorageFormatException($"Metadata store '{options.MetadataPath}' references invalid extents on device '{options.DevicePath}': {ex.Message}", ex);
            }

            var engine = new StorageEngine(options, device, superblock, store, allocator, buckets, versioning, objectCount, inlineBytes, store.ScanOutbox());
            if (newestSlot is not null)
            {
                engine._committer.SeedVersionStamp(VersionIds.StampOf(newestSlot));
            }

            return engine;
        }
        catch
        {
            store?.Dispose();
            device.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks (and on first use records) that device and metadata store belong together: the store names the device
    /// UUID, and the device's pairing block names the store UUID. A new empty store is refused on a device that was
    /// already paired with another store, because it would treat the device's data as free space.
    /// </summary>
    private static void PairWithMetadata(StorageEngineOptions options, IBlockDevice device, Superblock superblock, MetadataStore store)
    {
        var identity = store.GetIdentity();
        var pairedStoreId = Guid.Empty;
        var pairing = DevicePairing.IsSupported(superblock)
            ? DevicePairing.Read(device, superblock, out pairedStoreId)
            : DevicePairing.State.Unpaired;
        if (pairing == DevicePairing.State.Corrupt)
        {
            throw new StorageFormatException($"Device '{options.DevicePath}' has a corrupt metadata pairing block (block 1).");
        }

        Guid storeId;
        if (identity is null)
        {
            if (!store.IsEmpty())
            {
                throw new StorageFormatException($"Metadata store '{options.MetadataPath}' has data but no device identity; refusing to pair it with device '{options.DevicePath}'.");
            }

            if (pairing == DevicePairing.State.Paired)
            {
                throw new StorageFormatException($"Device '{options.DevicePath}' holds data of metadata store {pairedStoreId}, but '{options.MetadataPath}' is a new, empty store; refusing to treat the device as empty. Point MetadataPath at the device's store or reformat the device.");
            }

            storeId = Guid.NewGuid();
            store.SetIdentity(superblock.DeviceId, storeId);
        }
        else
        {
            if (identity.Value.DeviceId != superblock.DeviceId)
            {
                throw new StorageFormatException($"Metadata store '{options.MetadataPath}' belongs to device {identity.Value.DeviceId}, but device '{options.DevicePath}' has id {superblock.DeviceId}.");
            }

            storeId = identity.Value.StoreId;
            if (pairing == DevicePairing.State.Paired && pairedStoreId != storeId)
            {
                throw new StorageFormatException($"Device '{options.DevicePath}' is paired with metadata store {pairedStoreId}, but '{options.MetadataPath}' is store {storeId} (a copy or an older store?).");
            }
        }

        if (pairing == DevicePairing.State.Unpaired && DevicePairing.IsSupported(superblock))
        {
            DevicePairing.Write(device, superblock, storeId, options.TimeProvider.GetUtcNow());
        }
    }

    // ---------------------------------------------------------------- buckets

    public Task<EngineStatus> CreateBucketAsync(string bucket, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.BucketAlreadyExists);
        }

        var record = new BucketRecord { Name = bucket, CreatedAt = _options.TimeProvider.GetUtcNow() };
        return _committer.SubmitAsync(new BucketCommit(bucket, record));
    }

    public Task<EngineStatus> DeleteBucketAsync(string bucket, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        return _committer.SubmitAsync(new BucketCommit(bucket, null));
    }

    public BucketRecord? GetBucket(string bucket) => _buckets.GetValueOrDefault(bucket);

    /// <summary>All buckets in ordinal name order.</summary>
    public IReadOnlyList<BucketRecord> ListBuckets() => [.. _buckets.Values.OrderBy(static b => b.Name, StringComparer.Ordinal)];

    // ---------------------------------------------------------------- objects

    /// <summary>
    /// Stores an object. Reads exactly <see cref="PutObjectRequest.ContentLength"/> bytes from <paramref name="body"/>
    /// (a shorter body gives <see cref="EngineStatus.IncompleteBody"/> and leaves no trace). Completes with Ok only once
    /// the data is flushed and the metadata synced; an overwrite replaces the old record atomically.
    /// </summary>
    public async Task<PutObjectResult> PutObjectAsync(PutObjectRequest request, Stream body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ValidateBucketName(request.Bucket);
        ValidateKey(request.Key);
        ValidateReplica(request.Replica);
        ArgumentOutOfRangeException.ThrowIfNegative(request.ContentLength);
        if (request.ExpectedChecksum is not null && request.ChecksumAlgorithm is null)
        {
            throw new ArgumentException("ExpectedChecksum requires ChecksumAlgorithm.", nameof(request));
        }

        ObjectTags.ValidatedCopy(request.Tags, nameof(request));
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(request.Bucket))
        {
            return new PutObjectResult { Status = EngineStatus.NoSuchBucket };
        }

        if ((request.IfNoneMatch || request.IfMatch is not null) && !PreconditionHolds(request, GetObject(request.Bucket, request.Key)))
        {
            // Fail fast before reading the body; the committer re-checks atomically.
            return new PutObjectResult { Status = EngineStatus.PreconditionFailed };
        }

        // Small bodies arrive at once, so they count as "about to commit" from the start; large ones only once their
        // last buffer has arrived (a slow upload must not make every commit group wait).
        var ticket = new StrongBox<WriterTicket?>(request.ContentLength <= _options.IoBufferSize ? _committer.BeginWrite() : null);
        try
        {
            return await PutCoreAsync(request, body, ticket, ct).ConfigureAwait(false);
        }
        finally
        {
            ticket.Value?.Dispose();
        }
    }

    private async Task<PutObjectResult> PutCoreAsync(PutObjectRequest request, Stream body, StrongBox<WriterTicket?> ticket, CancellationToken ct)
    {
        var length = request.ContentLength;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var checksum = request.ChecksumAlgorithm is { } algorithm ? new ObjectChecksumHasher(algorithm) : null;

        byte[]? inline = null;
        Extent[] extents = [];
        uint[] chunkCrcs = [];
        SegmentEncryption? encryption = null;
        if (length <= _options.InlineThreshold || length == 0)
        {
            inline = new byte[length];
            var read = await body.ReadAtLeastAsync(inline, inline.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
            if (read < length)
            {
                return new PutObjectResult { Status = EngineStatus.IncompleteBody };
            }

            ticket.Value ??= _committer.BeginWrite();
            md5.AppendData(inline);
            checksum?.Append(inline);
            encryption = EncryptInline(request.DataKey, inline);
        }
        else
        {
            if (!_allocator.TryAllocate(length, out extents))
            {
                return new PutObjectResult { Status = EngineStatus.InsufficientStorage };
            }

            var submitted = false;
            try
            {
                using var cipher = request.DataKey is { } dataKey ? ChunkCipher.ForNewSegment(dataKey) : null;
                var tags = cipher is null ? null : new byte[ChunkCount(length) * SegmentEncryption.TagLength];
                chunkCrcs = await WriteDataAsync(body, length, extents, md5, checksum, ticket, cipher, tags, ct).ConfigureAwait(false) ?? [];
                if (chunkCrcs.Length == 0)
                {
                    return new PutObjectResult { Status = EngineStatus.IncompleteBody };
                }

                var status = Verify(request.ExpectedMd5, request.ExpectedChecksum, md5, checksum, out var etag, out var checksumValue);
                if (status != EngineStatus.Ok)
                {
                    return new PutObjectResult { Status = status };
                }

                encryption = cipher is null ? null : new SegmentEncryption { Salt = cipher.Salt, Tags = tags! };
                etag = OpaqueETagOf(request, etag);
                var record = BuildRecord(request, etag, checksumValue, extents, chunkCrcs, null, encryption);
                submitted = true;
                return await CommitPutAsync(record, request, ticket.Value!).ConfigureAwait(false);
            }
            finally
            {
                if (!submitted)
                {
                    _allocator.Free(extents);
                }
            }
        }

        {
            var status = Verify(request.ExpectedMd5, request.ExpectedChecksum, md5, checksum, out var etag, out var checksumValue);
            if (status != EngineStatus.Ok)
            {
                return new PutObjectResult { Status = status };
            }

            etag = OpaqueETagOf(request, etag);
            var record = BuildRecord(request, etag, checksumValue, [], [], inline, encryption);
            return await CommitPutAsync(record, request, ticket.Value!).ConfigureAwait(false);
        }
    }

    private static bool PreconditionHolds(PutObjectRequest request, ObjectRecord? current) =>
        !(request.IfNoneMatch && current is not null)
        && (request.IfMatch is null || string.Equals(current?.ETag, request.IfMatch.Trim('"'), StringComparison.OrdinalIgnoreCase));

    private async Task<PutObjectResult> CommitPutAsync(ObjectRecord record, PutObjectRequest request, WriterTicket? ticket)
    {
        var commit = new PutCommit(record, MetadataKeys.Object(record.Bucket, record.Key), RecordSerializer.SerializeObject(record), request.IfMatch?.Trim('"'), request.IfNoneMatch, request.OutboxPayload) { Replica = request.Replica };
        var status = await _committer.SubmitAsync(commit, ticket).ConfigureAwait(false);
        if (status != EngineStatus.Ok)
        {
            return new PutObjectResult { Status = status };
        }

        _metrics.ObjectPut();
        _metrics.BytesWritten(record.Size);
        return new PutObjectResult { Status = EngineStatus.Ok, Object = commit.Committed ?? record, OutboxSequence = commit.OutboxSequence };
    }

    /// <summary>Streams the body onto the extents; returns the chunk CRCs, or null if the body ended early.</summary>
    /// <remarks>
    /// With a <paramref name="cipher"/>, each chunk is hashed (MD5, checksum) as plaintext, then encrypted in place (its tag
    /// into <paramref name="tags"/>), and its CRC32C covers the ciphertext that reaches the device.
    /// </remarks>
    private async Task<uint[]?> WriteDataAsync(Stream body, long length, Extent[] extents, IncrementalHash md5, ObjectChecksumHasher? checksum, StrongBox<WriterTicket?> ticket, ChunkCipher? cipher, byte[]? tags, CancellationToken ct)
    {
        // The body is received into two pooled buffers in turn. Each whole chunk is handed on as soon as it has arrived:
        // MD5 and the requested checksum (and, for an encrypted object, encryption in place and then the CRC32C) run in
        // order on a background queue, and each WriteSliceBytes of processed data is written to the device (on the thread
        // pool) while the rest still arrives, so transfer, digests and device time overlap instead of adding up. Writes
        // are issued in object order and at most one is in flight; a buffer is refilled only after every write from it
        // has completed and the queue is done with it.
        var chunkSize = _options.ChunkSize;
        var blockSize = _device.BlockSize;
        var crcs = new uint[(int)((length + chunkSize - 1) / chunkSize)];
        var buffers = new AlignedBuffer[length > _options.IoBufferSize ? 2 : 1];
        for (var i = 0; i < buffers.Length; i++)
        {
            buffers[i] = _bufferPool.Rent();
        }

        var background = new SerialWorkQueue();
        var queuedFrom = new Task[buffers.Length]; // per buffer: the background work that may still touch it
        Array.Fill(queuedFrom, Task.CompletedTask);
        Task pendingWrite = Task.CompletedTask;
        try
        {
            long position = 0;
            var current = 0;
            while (position < length)
            {
                var buffer = buffers[current];
                await queuedFrom[current].ConfigureAwait(false);
                var size = (int)Math.Min(buffer.Length, length - position);
                var lastBuffer = position + size == length;
                int received = 0, processed = 0, written = 0;
                while (received < size)
                {
                    var read = await body.ReadAsync(buffer.Memory[received..size], ct).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return null;
                    }

                    received += read;
                    var complete = received == size;
                    if (complete && lastBuffer)
                    {
                        // The whole body has arrived: from here on this writer will commit within microseconds, so the
                        // commit loop may wait for it and share the device flush and WAL sync.
                        ticket.Value ??= _committer.BeginWrite();
                    }

                    // Only whole chunks are handed on before the buffer is complete, so chunk boundaries stay the object's.
                    var ready = complete ? received : received - (received % chunkSize);
                    if (ready > processed)
                    {
                        var chunks = new ChunkRange(buffer.Memory[processed..ready], position + processed, chunkSize, crcs);
                        if (cipher is null)
                        {
                            background.Enqueue(static work => work.Range.Digest(work.Md5, work.Checksum), (Range: chunks, Md5: md5, Checksum: checksum));
                            chunks.ComputeCrcs();
                        }
                        else
                        {
                            background.Enqueue(static work => work.Range.DigestEncryptAndComputeCrcs(work.Md5, work.Checksum, work.Cipher, work.Tags!), (Range: chunks, Md5: md5, Checksum: checksum, Cipher: cipher, Tags: tags));
                        }

                        processed = ready;
                    }

                    if (complete || processed - written >= WriteSliceBytes)
                    {
                        var end = processed;
                        if (complete)
                        {
                            end = (int)ChunkReader.RoundUp(size, blockSize);
                            buffer.Span[size..end].Clear();
                        }

                        await pendingWrite.ConfigureAwait(false);
                        var slice = buffer.Memory[written..end];
                        var objectOffset = position + written;
                        var encrypted = cipher is null ? Task.CompletedTask : background.Completion; // ciphertext, not plaintext, goes to the device
                        pendingWrite = complete && lastBuffer
                            ? WriteAtAsync(encrypted, extents, objectOffset, slice, ct)
                            : Task.Run(() => WriteAtAsync(encrypted, extents, objectOffset, slice, ct), ct);
                        written = end;
                    }
                }

                queuedFrom[current] = background.Completion;
                position += size;
                current = (current + 1) % buffers.Length;
            }

            await pendingWrite.ConfigureAwait(false);
            await background.Completion.ConfigureAwait(false);
            return crcs;
        }
        finally
        {
            // Never return a buffer to the pool while the device may still be writing from it or the queue touching it.
            foreach (var work in (Task[])[pendingWrite, background.Completion])
            {
                try
                {
                    await work.ConfigureAwait(false);
                }
                catch (Exception) when (!work.IsCompletedSuccessfully)
                {
                    // Already observed by the main path, or superseded by the exception that got us here.
                }
            }

            foreach (var buffer in buffers)
            {
                buffer.Dispose();
            }
        }
    }

    /// <summary>Writes <paramref name="data"/> once <paramref name="ready"/> has completed (its bytes are final).</summary>
    private async Task WriteAtAsync(Task ready, Extent[] extents, long objectOffset, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await ready.ConfigureAwait(false);
        await WriteAtAsync(extents, objectOffset, data, ct).ConfigureAwait(false);
    }

    /// <summary>Writes <paramref name="data"/> (block-padded) at object offset <paramref name="objectOffset"/> across the extents.</summary>
    private async Task WriteAtAsync(Extent[] extents, long objectOffset, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        var extentIndex = 0;
        var skip = objectOffset;
        while (skip >= extents[extentIndex].Length)
        {
            skip -= extents[extentIndex].Length;
            extentIndex++;
        }

        var written = 0;
        while (written < data.Length)
        {
            var extent = extents[extentIndex];
            var segment = (int)Math.Min(data.Length - written, extent.Length - skip);
            await _device.WriteAsync(extent.Offset + skip, data.Slice(written, segment), ct).ConfigureAwait(false);
            written += segment;
            skip = 0;
            extentIndex++;
        }
    }

    private static EngineStatus Verify(byte[]? expectedMd5Digest, string? expectedChecksum, IncrementalHash md5, ObjectChecksumHasher? checksum, out string etag, out string? checksumValue)
    {
        Span<byte> digest = stackalloc byte[16];
        md5.GetHashAndReset(digest);
        etag = Convert.ToHexStringLower(digest);
        checksumValue = checksum?.GetBase64();
        if (expectedMd5Digest is { } expectedMd5 && !digest.SequenceEqual(expectedMd5))
        {
            return EngineStatus.BadDigest;
        }

        if (expectedChecksum is { } expected && !ChecksumEquals(expected, checksumValue!))
        {
            return EngineStatus.BadDigest;
        }

        return EngineStatus.Ok;
    }

    private static bool ChecksumEquals(string expectedBase64, string actualBase64)
    {
        Span<byte> expected = stackalloc byte[64];
        Span<byte> actual = stackalloc byte[64];
        return Convert.TryFromBase64String(expectedBase64.Trim(), expected, out var expectedLength)
            && Convert.TryFromBase64String(actualBase64, actual, out var actualLength)
            && expected[..expectedLength].SequenceEqual(actual[..actualLength]);
    }

    private int ChunkCount(long length) => (int)((length + _options.ChunkSize - 1) / _options.ChunkSize);

    /// <summary>The ETag to store: the MD5 <paramref name="etag"/>, or its keyed hash when the request asks for an opaque one.</summary>
    private static string OpaqueETagOf(PutObjectRequest request, string etag)
    {
        if (!request.OpaqueETag || request.DataKey is not { } dataKey)
        {
            return etag;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(dataKey, Convert.FromHexString(etag), mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    /// <summary>A decrypted copy of inline data, or null when its tag does not verify.</summary>
    private static byte[]? DecryptInline(SegmentEncryption encryption, byte[] stored, byte[] dataKey)
    {
        var plain = stored.ToArray();
        using var cipher = ChunkCipher.ForSegment(dataKey, encryption);
        return cipher.TryDecrypt(0, plain, encryption.TagOf(0)) ? plain : null;
    }

    /// <summary>Encrypts inline data in place as one chunk when a data key is given; returns its encryption (or null).</summary>
    private static SegmentEncryption? EncryptInline(byte[]? dataKey, byte[] inline)
    {
        if (dataKey is null)
        {
            return null;
        }

        using var cipher = ChunkCipher.ForNewSegment(dataKey);
        var tag = new byte[SegmentEncryption.TagLength];
        cipher.Encrypt(0, inline, tag);
        return new SegmentEncryption { Salt = cipher.Salt, Tags = tag };
    }

    private ObjectRecord BuildRecord(PutObjectRequest request, string etag, string? checksumValue, Extent[] extents, uint[] chunkCrcs, byte[]? inline, SegmentEncryption? encryption) => new()
    {
        Encryption = encryption,
        Bucket = request.Bucket,
        Key = request.Key,
        Size = request.ContentLength,
        ETag = etag,
        LastModified = _options.TimeProvider.GetUtcNow(),
        ContentType = request.ContentType,
        UserMetadata = new Dictionary<string, string>(request.UserMetadata, StringComparer.Ordinal),
        SystemMetadata = new Dictionary<string, string>(ReplicationStatus.With(request.SystemMetadata, ReplicationStatus.ForNewVersion(request.OutboxPayload is not null, request.Replica)), StringComparer.Ordinal),
        ChecksumAlgorithm = request.ChecksumAlgorithm,
        Checksum = checksumValue,
        Extents = extents,
        ChunkSize = extents.Length > 0 ? _options.ChunkSize : 0,
        ChunkCrcs = chunkCrcs,
        InlineData = inline,
        Tags = [.. request.Tags],
        Retention = request.Retention,
        LegalHold = request.LegalHold,
    };

    /// <summary>The committed record (metadata only), or null if the bucket or key does not exist.</summary>
    public ObjectRecord? GetObject(string bucket, string key) => GetObject(bucket, key, withData: false);

    /// <summary>
    /// The committed record, or null if the bucket or key does not exist. With <paramref name="withData"/> it also carries
    /// what reading the object needs (an inline object's content, chunk CRCs), for <see cref="OpenCurrentAsync"/>.
    /// </summary>
    public ObjectRecord? GetObject(string bucket, string key, bool withData)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        using var gate = EnterOperation();
        return _buckets.ContainsKey(bucket) ? _store.GetObject(bucket, key, includeData: withData) : null;
    }

    /// <summary>
    /// Opens a verified stream over <c>[offset, offset + length)</c> of the current version. A negative
    /// <paramref name="length"/> or one past the end means "to the end"; an <paramref name="offset"/> past the end yields
    /// an empty range (the object may have been replaced since the caller resolved its range: use
    /// <see cref="OpenObjectResult.Object"/>, the version actually streamed, or pass an expected ETag). The caller must
    /// dispose the result. Status is NoSuchBucket/NoSuchKey when absent.
    /// </summary>
    public Task<OpenObjectResult> OpenObjectAsync(string bucket, string key, long offset, long length, CancellationToken ct = default) =>
        OpenObjectAsync(bucket, key, offset, length, expectedETag: null, ct);

    /// <summary>
    /// As <see cref="OpenObjectAsync(string, string, long, long, CancellationToken)"/>, but returns
    /// <see cref="EngineStatus.PreconditionFailed"/> (with <see cref="OpenObjectResult.Object"/> set to the current version)
    /// when <paramref name="expectedETag"/> is given and the current version's ETag differs — so a range resolved against
    /// an earlier <see cref="GetObject"/> is never applied to a different version.
    /// </summary>
    public Task<OpenObjectResult> OpenObjectAsync(string bucket, string key, long offset, long length, string? expectedETag, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ct.ThrowIfCancellationRequested();
        using var gate = EnterOperation();
        return Task.FromResult(Open(bucket, key, null, offset, length, expectedETag, null));
    }

    /// <summary>
    /// Opens a verified stream over <c>[offset, offset + length)</c> (clamped as for
    /// <see cref="OpenObjectAsync(string, string, long, long, CancellationToken)"/>) of the current version described by
    /// <paramref name="record"/>, which the caller read with <see cref="GetObject(string, string, bool)"/> and
    /// <c>withData</c> true: an object stored inline is served from that record, without reading it again. Status:
    /// Ok; <see cref="EngineStatus.PreconditionFailed"/> when the current version is no longer that record (read it
    /// again and retry); MethodNotAllowed for a delete marker; EncryptionKeyRequired; NoSuchBucket. The caller must
    /// dispose the result. A record read without its data throws <see cref="ArgumentException"/>.
    /// </summary>
    public Task<OpenObjectResult> OpenCurrentAsync(ObjectRecord record, long offset, long length, byte[]? dataKey, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (!record.CarriesData && !record.IsDeleteMarker)
        {
            throw new ArgumentException("The record was read without its data.", nameof(record));
        }

        ct.ThrowIfCancellationRequested();
        using var gate = EnterOperation();
        if (!_buckets.ContainsKey(record.Bucket))
        {
            return Task.FromResult(new OpenObjectResult { Status = EngineStatus.NoSuchBucket });
        }

        if (record.IsDeleteMarker)
        {
            return Task.FromResult(new OpenObjectResult { Status = EngineStatus.MethodNotAllowed, Object = record });
        }

        return Task.FromResult(
            OpenVersion(record, () => _store.GetObject(record.Bucket, record.Key), offset, length, dataKey)
            ?? new OpenObjectResult { Status = EngineStatus.PreconditionFailed });
    }

    private OpenObjectResult Open(string bucket, string key, string? versionId, long offset, long length, string? expectedETag, byte[]? dataKey)
    {
        if (!_buckets.ContainsKey(bucket))
        {
            return new OpenObjectResult { Status = EngineStatus.NoSuchBucket };
        }

        if (versionId is not null && !VersionIds.IsWellFormed(versionId))
        {
            return new OpenObjectResult { Status = EngineStatus.NoSuchVersion };
        }

        ObjectRecord? Fetch() => versionId is null ? _store.GetObject(bucket, key) : _store.FindVersion(bucket, key, versionId, includeData: true).Record;

        while (true)
        {
            var record = Fetch();
            if (record is null)
            {
                return new OpenObjectResult { Status = versionId is null ? EngineStatus.NoSuchKey : EngineStatus.NoSuchVersion };
            }

            if (record.IsDeleteMarker)
            {
                return new OpenObjectResult { Status = EngineStatus.MethodNotAllowed, Object = record };
            }

            if (expectedETag is not null && !string.Equals(expectedETag.Trim('"'), record.ETag, StringComparison.OrdinalIgnoreCase))
            {
                return new OpenObjectResult { Status = EngineStatus.PreconditionFailed, Object = record };
            }

            if (OpenVersion(record, Fetch, offset, length, dataKey) is { } opened)
            {
                return opened;
            }
        }
    }

    /// <summary>
    /// Opens <paramref name="record"/> (read with its data, not a delete marker). Data in extents is leased and the
    /// record read again through <paramref name="fetch"/>: null when that no longer finds the same version, whose
    /// extents may then be freed at any time.
    /// </summary>
    private OpenObjectResult? OpenVersion(ObjectRecord record, Func<ObjectRecord?> fetch, long offset, long length, byte[]? dataKey)
    {
        var bucket = record.Bucket;
        var key = record.Key;
        if (record.IsEncrypted && dataKey is null)
        {
            return new OpenObjectResult { Status = EngineStatus.EncryptionKeyRequired, Object = record };
        }

        var start = Math.Min(offset, record.Size);
        var available = record.Size - start;
        var count = length < 0 || length > available ? available : length;
        if (!record.HasExtents)
        {
            var data = record.InlineData ?? [];
            if (record.Encryption is { } inlineEncryption)
            {
                var decrypted = DecryptInline(inlineEncryption, data, dataKey!);
                if (decrypted is null)
                {
                    _metrics.ChecksumFailure();
                    return new OpenObjectResult
                    {
                        Status = EngineStatus.Ok,
                        Object = record,
                        Content = new FaultedReadStream(new ChecksumMismatchException(bucket, key, -1, 0)),
                        RangeStart = start,
                        RangeLength = count,
                    };
                }

                data = decrypted;
            }

            _metrics.BytesRead(count);
            return new OpenObjectResult
            {
                Status = EngineStatus.Ok,
                Object = record,
                Content = new MemoryStream(data, (int)start, (int)count, writable: false),
                RangeStart = start,
                RangeLength = count,
            };
        }

        // Lease the extents, then re-read: if the record is unchanged its extents cannot be freed until release.
        var leaseKey = record.Extents[0].Offset;
        _leases.Acquire(leaseKey);
        var current = fetch();
        if (current is null || !current.HasExtents || current.Extents[0].Offset != leaseKey || current.Size != record.Size || current.ETag != record.ETag)
        {
            _leases.Release(leaseKey);
            return null;
        }

        foreach (var segment in current.Segments)
        {
            if (segment.ChunkSize > _options.IoBufferSize)
            {
                _leases.Release(leaseKey);
                throw new NotSupportedException($"'{bucket}/{key}' was written with chunk size {segment.ChunkSize}, larger than IoBufferSize {_options.IoBufferSize}.");
            }
        }

        // A lone reader reads its first buffer's worth in smaller reads, so the response starts while the rest is
        // read; with other readers the device is kept busy anyway, and whole-buffer reads cost less per byte.
        var lone = Interlocked.Increment(ref _openReadStreams) == 1;
        var stream = new ObjectReadStream(_device, current, start, count, _bufferPool, _metrics, () =>
        {
            Interlocked.Decrement(ref _openReadStreams);
            _leases.Release(leaseKey);
        }, dataKey, lone ? LoneReaderLeadReadBytes : 0);
        return new OpenObjectResult { Status = EngineStatus.Ok, Object = current, Content = stream, RangeStart = start, RangeLength = count };
    }

    /// <summary>
    /// Replaces the tag set of the current version of an object atomically, without touching its data, ETag,
    /// Last-Modified or other metadata (S3 PutObjectTagging; an empty list is DeleteObjectTagging). Committed through the
    /// group committer in a synced batch: durable when it completes with Ok. Status: Ok, NoSuchBucket or NoSuchKey.
    /// A tag set breaking <see cref="ObjectTags"/>'s limits throws <see cref="ArgumentException"/>.
    /// </summary>
    public Task<EngineStatus> SetObjectTagsAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        var copy = ObjectTags.ValidatedCopy(tags, nameof(tags));
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        return _committer.SubmitAsync(new TagsCommit(bucket, key, copy));
    }

    public Task<EngineStatus> DeleteObjectAsync(string bucket, string key, CancellationToken ct = default) =>
        DeleteObjectAsync(bucket, key, outboxPayload: null, ct);

    /// <summary>
    /// Deletes an object; when <paramref name="outboxPayload"/> is set and the object existed, an <see cref="OutboxEntry"/>
    /// is committed in the same atomic batch.
    /// </summary>
    public Task<EngineStatus> DeleteObjectAsync(string bucket, string key, byte[]? outboxPayload, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        return _committer.SubmitAsync(new DeleteCommit(bucket, key, outboxPayload));
    }

    /// <summary>
    /// Keys greater than <paramref name="startAfter"/> (null = from the start) that start with <paramref name="prefix"/>,
    /// in ordinal UTF-8 byte order, at most <paramref name="maxKeys"/>. One RocksDB Seek: O(maxKeys), not O(bucket).
    /// Returned records carry no layout (chunk CRCs / inline data), and with a <paramref name="summary"/> only what it
    /// asks for. An unknown bucket gives an empty listing.
    /// </summary>
    public ObjectListing ListObjects(string bucket, string? prefix, string? startAfter, int maxKeys, ListingSummary? summary = null)
    {
        ValidateBucketName(bucket);
        using var gate = EnterOperation();
        if (maxKeys <= 0 || !_buckets.ContainsKey(bucket))
        {
            return new ObjectListing { Objects = [], IsTruncated = false };
        }

        return _store.List(bucket, prefix, startAfter, maxKeys, summary);
    }

    public EngineStats GetStats() => new()
    {
        Capacity = _allocator.Capacity,
        UsedBytes = _allocator.UsedBytes,
        FreeBytes = _allocator.FreeBytes,
        ObjectCount = _committer.ObjectCount,
        BucketCount = _buckets.Count,
        ChecksumFailures = _metrics.ChecksumFailureCount,
        InlineBytes = _committer.InlineBytes,
        OutboxPending = _committer.OutboxCount,
    };

    // ---------------------------------------------------------------- outbox

    /// <summary>Highest outbox sequence committed so far (0 if none).</summary>
    public long LastOutboxSequence => _committer.LastOutboxSequence;

    /// <summary>Up to <paramref name="maxEntries"/> outbox entries with sequence above <paramref name="afterSequence"/>, oldest first. One Seek.</summary>
    public IReadOnlyList<OutboxEntry> ReadOutbox(long afterSequence, int maxEntries)
    {
        using var gate = EnterOperation();
        return maxEntries <= 0 ? [] : _store.ReadOutbox(afterSequence, maxEntries);
    }

    /// <summary>Completes once an outbox entry with a sequence above <paramref name="afterSequence"/> is committed (a relay's wake-up).</summary>
    public Task WaitForOutboxAsync(long afterSequence, CancellationToken ct = default) => _committer.WaitForOutboxAsync(afterSequence, ct);

    /// <summary>Removes outbox entries (delivered, or given up and recorded elsewhere). Unknown sequences are ignored. Durable on completion.</summary>
    public async Task RemoveOutboxEntriesAsync(IEnumerable<long> sequences, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        var list = sequences.ToArray();
        if (list.Length > 0)
        {
            await _committer.SubmitAsync(new OutboxRemoveCommit(list)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Re-reads every extent-backed object and verifies each chunk's CRC32C. Objects deleted or replaced during the scrub
    /// are skipped. Mismatches are reported (and counted in <c>comio.storage.checksum_failures</c>), never thrown.
    /// </summary>
    public Task<ScrubReport> ScrubAsync(CancellationToken ct = default) => ScrubAsync(maxBytesPerSecond: 0, ct);

    /// <summary>
    /// As <see cref="ScrubAsync(CancellationToken)"/>, reading at most <paramref name="maxBytesPerSecond"/> (0 = unlimited)
    /// so a background scrub does not starve foreground I/O.
    /// </summary>
    public async Task<ScrubReport> ScrubAsync(long maxBytesPerSecond, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytesPerSecond);
        using var gate = EnterOperation();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _shutdown.Token);
        ct = linked.Token;
        var started = Stopwatch.GetTimestamp();
        var findings = new List<ScrubFinding>();
        long objects = 0;
        long chunks = 0;
        long bytes = 0;
        using var buffer = _bufferPool.Rent();
        foreach (var (candidate, noncurrent) in _store.ScanObjects().Select(static r => (r, false)).Concat(_store.ScanVersions().Select(static r => (r, true))))
        {
            ct.ThrowIfCancellationRequested();
            if (!candidate.HasExtents)
            {
                continue;
            }

            var leaseKey = candidate.Extents[0].Offset;
            _leases.Acquire(leaseKey);
            try
            {
                var record = noncurrent
                    ? _store.GetVersion(candidate.Bucket, candidate.Key, candidate.VersionSlot!, includeData: true)
                    : _store.GetObject(candidate.Bucket, candidate.Key);
                if (record is null || !record.HasExtents || record.Extents[0].Offset != leaseKey)
                {
                    continue;
                }

                objects++;
                var chunkBase = 0;
                foreach (var segment in record.Segments)
                {
                    var chunksPerBuffer = segment.ChunkCount == 0 ? 1 : buffer.Length / segment.ChunkSize;
                    for (var first = 0; first < segment.ChunkCount; first += chunksPerBuffer)
                    {
                        var count = Math.Min(chunksPerBuffer, segment.ChunkCount - first);
                        await ChunkReader.ReadAsync(_device, segment, first, count, buffer.Memory, ct).ConfigureAwait(false);
                        if (maxBytesPerSecond > 0)
                        {
                            await ThrottleAsync(started, bytes + ((long)count * segment.ChunkSize), maxBytesPerSecond, ct).ConfigureAwait(false);
                        }

                        for (var i = 0; i < count; i++)
                        {
                            var chunk = first + i;
                            var chunkLength = segment.ChunkLength(chunk);
                            var actual = Crc32C.Compute(buffer.Span.Slice(i * segment.ChunkSize, chunkLength));
                            chunks++;
                            bytes += chunkLength;
                            if (actual != segment.ChunkCrcs[chunk])
                            {
                                _metrics.ChecksumFailure();
                                var deviceOffset = segment.MapToDevice((long)chunk * segment.ChunkSize, out _);
                                findings.Add(new ScrubFinding(record.Bucket, record.Key, chunkBase + chunk, deviceOffset, $"CRC32C mismatch: expected {segment.ChunkCrcs[chunk]:x8}, computed {actual:x8}"));
                            }
                        }
                    }

                    chunkBase += segment.ChunkCount;
                }
            }
            finally
            {
                _leases.Release(leaseKey);
            }
        }

        return new ScrubReport
        {
            ObjectsScanned = objects,
            ChunksVerified = chunks,
            BytesVerified = bytes,
            Findings = findings,
            Duration = Stopwatch.GetElapsedTime(started),
        };
    }

    private async Task ThrottleAsync(long started, long bytesSoFar, long maxBytesPerSecond, CancellationToken ct)
    {
        var due = TimeSpan.FromSeconds((double)bytesSoFar / maxBytesPerSecond) - Stopwatch.GetElapsedTime(started);
        if (due > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(due, _options.TimeProvider, ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop scrubs, then wait for calls that use the metadata store: disposing RocksDB under them is unsafe.
        await _shutdown.CancelAsync().ConfigureAwait(false);
        while (Volatile.Read(ref _activeOperations) > 0)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }

        await _committer.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
        _device.Dispose();
        _bufferPool.Dispose();
        _metrics.Dispose();
        _shutdown.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private OperationScope EnterOperation()
    {
        Interlocked.Increment(ref _activeOperations);
        if (Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Decrement(ref _activeOperations);
            throw new ObjectDisposedException(nameof(StorageEngine));
        }

        return new OperationScope(this);
    }

    /// <summary>Marks a call that uses the metadata store, so disposal waits for it.</summary>
    private readonly struct OperationScope(StorageEngine engine) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref engine._activeOperations);
    }

    private static void ValidateBucketName(string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        if (bucket.Contains('\0', StringComparison.Ordinal) || System.Text.Encoding.UTF8.GetByteCount(bucket) > MaxBucketNameBytes)
        {
            throw new ArgumentException($"Invalid bucket name '{bucket}'.", nameof(bucket));
        }
    }

    private static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (System.Text.Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new ArgumentException("Object key is longer than 1024 UTF-8 bytes.", nameof(key));
        }
    }
}
