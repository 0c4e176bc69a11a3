using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using ComIO.Storage.Allocation;
using ComIO.Storage.Checksums;
using ComIO.Storage.Encryption;
using ComIO.Storage.Metadata;
using ComIO.Storage.Objects;

namespace ComIO.Storage;

/// <summary>Multipart uploads (S3 semantics): parts are stored like objects and stitched, never copied, on completion.</summary>
public sealed partial class StorageEngine
{
    /// <summary>Highest part number S3 allows.</summary>
    public const int MaxPartNumber = 10_000;

    /// <summary>
    /// Starts a multipart upload; the engine issues the upload id (32 URL-safe characters). Durable on completion.
    /// Status: Ok (with <see cref="CreateUploadResult.Upload"/>) or NoSuchBucket.
    /// </summary>
    public async Task<CreateUploadResult> CreateMultipartUploadAsync(CreateUploadRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ValidateBucketName(request.Bucket);
        ValidateKey(request.Key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(request.Bucket))
        {
            return new CreateUploadResult { Status = EngineStatus.NoSuchBucket };
        }

        var uploadId = UploadIds.Create(_options.TimeProvider.GetUtcNow());
        var upload = new MultipartUpload
        {
            Bucket = request.Bucket,
            Key = request.Key,
            UploadId = uploadId,
            Initiated = UploadIds.InitiatedAt(uploadId),
            ContentType = request.ContentType,
            UserMetadata = new Dictionary<string, string>(request.UserMetadata, StringComparer.Ordinal),
            SystemMetadata = new Dictionary<string, string>(request.SystemMetadata, StringComparer.Ordinal),
            ChecksumAlgorithm = request.ChecksumAlgorithm,
            Tags = ObjectTags.ValidatedCopy(request.Tags, nameof(request)),
            Retention = request.Retention,
            LegalHold = request.LegalHold,
        };
        var status = await _committer.SubmitAsync(new UploadCreateCommit(upload)).ConfigureAwait(false);
        return new CreateUploadResult { Status = status, Upload = status == EngineStatus.Ok ? upload : null };
    }

    /// <summary>
    /// Stores one part: reads exactly <see cref="PutPartRequest.ContentLength"/> bytes into freshly allocated extents
    /// (never inline), verifying Content-MD5 and the checksum, and completes with Ok once the data is flushed and the part
    /// record synced. A part with the same number is replaced; its extents are freed once the new record is durable.
    /// Status: Ok, NoSuchBucket, NoSuchUpload, BadDigest, IncompleteBody or InsufficientStorage (nothing stored unless Ok).
    /// Part numbers outside 1..<see cref="MaxPartNumber"/> throw <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public async Task<PutPartResult> PutPartAsync(PutPartRequest request, Stream body, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ValidateBucketName(request.Bucket);
        ValidateKey(request.Key);
        ArgumentOutOfRangeException.ThrowIfNegative(request.ContentLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.PartNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.PartNumber, MaxPartNumber);
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(request.Bucket))
        {
            return new PutPartResult { Status = EngineStatus.NoSuchBucket };
        }

        MultipartUpload? upload;
        using (EnterOperation())
        {
            upload = UploadIds.IsWellFormed(request.UploadId) ? _store.GetUpload(request.Bucket, request.Key, request.UploadId) : null;
        }

        if (upload is null)
        {
            return new PutPartResult { Status = EngineStatus.NoSuchUpload };
        }

        var algorithm = request.ChecksumAlgorithm ?? upload.ChecksumAlgorithm;
        if (request.ExpectedChecksum is not null && algorithm is null)
        {
            throw new ArgumentException("ExpectedChecksum requires ChecksumAlgorithm.", nameof(request));
        }

        var ticket = new StrongBox<WriterTicket?>(request.ContentLength <= _options.IoBufferSize ? _committer.BeginWrite() : null);
        try
        {
            return await PutPartCoreAsync(request, algorithm, body, ticket, ct).ConfigureAwait(false);
        }
        finally
        {
            ticket.Value?.Dispose();
        }
    }

    private async Task<PutPartResult> PutPartCoreAsync(PutPartRequest request, ChecksumAlgorithm? algorithm, Stream body, StrongBox<WriterTicket?> ticket, CancellationToken ct)
    {
        var length = request.ContentLength;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var checksum = algorithm is { } value ? new ObjectChecksumHasher(value) : null;
        Extent[] extents = [];
        uint[] chunkCrcs = [];
        if (length > 0 && !_allocator.TryAllocate(length, out extents))
        {
            return new PutPartResult { Status = EngineStatus.InsufficientStorage };
        }

        var submitted = false;
        try
        {
            using var cipher = request.DataKey is { } dataKey && length > 0 ? ChunkCipher.ForNewSegment(dataKey) : null;
            var tags = cipher is null ? null : new byte[ChunkCount(length) * SegmentEncryption.TagLength];
            if (length > 0)
            {
                chunkCrcs = await WriteDataAsync(body, length, extents, md5, checksum, ticket, cipher, tags, ct).ConfigureAwait(false) ?? [];
                if (chunkCrcs.Length == 0)
                {
                    return new PutPartResult { Status = EngineStatus.IncompleteBody };
                }
            }
            else
            {
                ticket.Value ??= _committer.BeginWrite();
            }

            var status = Verify(request.ExpectedMd5, request.ExpectedChecksum, md5, checksum, out var etag, out var checksumValue);
            if (status != EngineStatus.Ok)
            {
                return new PutPartResult { Status = status };
            }

            var part = new PartRecord
            {
                PartNumber = request.PartNumber,
                Size = length,
                ETag = etag,
                LastModified = _options.TimeProvider.GetUtcNow(),
                ChecksumAlgorithm = algorithm,
                Checksum = checksumValue,
                Data = new DataSegment
                {
                    Length = length,
                    ChunkSize = length > 0 ? _options.ChunkSize : 0,
                    Extents = extents,
                    ChunkCrcs = chunkCrcs,
                    Encryption = cipher is null ? null : new SegmentEncryption { Salt = cipher.Salt, Tags = tags! },
                },
            };
            submitted = true;
            var committed = await _committer.SubmitAsync(new PartCommit(request.Bucket, request.Key, request.UploadId, part), ticket.Value).ConfigureAwait(false);
            if (committed != EngineStatus.Ok)
            {
                return new PutPartResult { Status = committed };
            }

            _metrics.BytesWritten(length);
            return new PutPartResult { Status = EngineStatus.Ok, Part = part };
        }
        finally
        {
            if (!submitted)
            {
                _allocator.Free(extents);
            }
        }
    }

    /// <summary>
    /// Completes an upload: <paramref name="parts"/> must be strictly ascending (else InvalidPartOrder), each uploaded with
    /// a matching ETag (else InvalidPart), and each but the last at least 5 MiB (else EntityTooSmall). In one synced batch
    /// the object record is written whose data is the listed parts' extents in order (no data is copied), the upload and
    /// all its parts are removed, and afterwards the extents of unlisted parts and of the replaced object are freed. The
    /// ETag is S3's multipart ETag (hex MD5 of the binary part MD5s, "-", part count); no full-object checksum is stored.
    /// Status: Ok (with the object), NoSuchBucket, NoSuchUpload, InvalidPart, InvalidPartOrder or EntityTooSmall.
    /// </summary>
    public Task<PutObjectResult> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> parts, CancellationToken ct = default) =>
        CompleteMultipartUploadAsync(bucket, key, uploadId, parts, outboxPayload: null, ct);

    /// <summary>
    /// As <see cref="CompleteMultipartUploadAsync(string, string, string, IReadOnlyList{CompletedPart}, CancellationToken)"/>;
    /// when <paramref name="outboxPayload"/> is set, an <see cref="OutboxEntry"/> (operation Put) is committed in the same batch.
    /// </summary>
    public Task<PutObjectResult> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> parts, byte[]? outboxPayload, CancellationToken ct = default) =>
        CompleteMultipartUploadAsync(bucket, key, uploadId, parts, outboxPayload, replica: null, ct);

    /// <summary>
    /// As <see cref="CompleteMultipartUploadAsync(string, string, string, IReadOnlyList{CompletedPart}, byte[], CancellationToken)"/>;
    /// with <paramref name="replica"/> the object is another site's version applied as a replica (see
    /// <see cref="PutObjectRequest.Replica"/>): InvalidBucketState unless versioning is Enabled; when that version is
    /// already stored the upload is consumed and the stored version returned.
    /// </summary>
    public async Task<PutObjectResult> CompleteMultipartUploadAsync(string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> parts, byte[]? outboxPayload, ReplicaVersion? replica, CancellationToken ct = default)
    {
        ValidateReplica(replica);
        ValidateBucketName(bucket);
        ValidateKey(key);
        ArgumentNullException.ThrowIfNull(parts);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return new PutObjectResult { Status = EngineStatus.NoSuchBucket };
        }

        if (!UploadIds.IsWellFormed(uploadId))
        {
            return new PutObjectResult { Status = EngineStatus.NoSuchUpload };
        }

        var commit = new CompleteCommit(bucket, key, uploadId, [.. parts], outboxPayload) { Replica = replica };
        var status = await _committer.SubmitAsync(commit).ConfigureAwait(false);
        if (status != EngineStatus.Ok)
        {
            return new PutObjectResult { Status = status };
        }

        _metrics.ObjectPut();
        return new PutObjectResult { Status = EngineStatus.Ok, Object = commit.Result, OutboxSequence = commit.OutboxSequence };
    }

    /// <summary>
    /// Removes an upload and all its parts; their space is freed once the removal is durable.
    /// Status: Ok, NoSuchBucket or NoSuchUpload.
    /// </summary>
    public Task<EngineStatus> AbortMultipartUploadAsync(string bucket, string key, string uploadId, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        if (!UploadIds.IsWellFormed(uploadId))
        {
            return Task.FromResult(EngineStatus.NoSuchUpload);
        }

        return _committer.SubmitAsync(new AbortCommit(bucket, key, uploadId));
    }

    /// <summary>
    /// Parts of an upload with numbers above <paramref name="partNumberMarker"/>, in order, at most
    /// <paramref name="maxParts"/>. One Seek: O(maxParts). Status: Ok (with the upload), NoSuchBucket or NoSuchUpload.
    /// </summary>
    public PartListing ListParts(string bucket, string key, string uploadId, int partNumberMarker, int maxParts)
    {
        ValidateBucketName(bucket);
        ValidateKey(key);
        using var gate = EnterOperation();
        if (!_buckets.ContainsKey(bucket))
        {
            return new PartListing { Status = EngineStatus.NoSuchBucket };
        }

        var upload = UploadIds.IsWellFormed(uploadId) ? _store.GetUpload(bucket, key, uploadId) : null;
        if (upload is null)
        {
            return new PartListing { Status = EngineStatus.NoSuchUpload };
        }

        if (maxParts <= 0)
        {
            return new PartListing { Status = EngineStatus.Ok, Upload = upload };
        }

        var (parts, truncated) = _store.ListParts(uploadId, partNumberMarker, maxParts, includeData: false);
        return new PartListing { Status = EngineStatus.Ok, Upload = upload, Parts = parts, IsTruncated = truncated };
    }

    /// <summary>
    /// In-progress uploads of <paramref name="bucket"/> whose key starts with <paramref name="prefix"/>, sorted by key
    /// (UTF-8 bytes), then initiation time, then upload id, at most <paramref name="maxUploads"/>. As S3 defines the
    /// markers: with <paramref name="keyMarker"/> only keys after it are listed; with <paramref name="uploadIdMarker"/> as
    /// well, uploads of <paramref name="keyMarker"/> itself whose id sorts after <paramref name="uploadIdMarker"/> are
    /// included first (the id marker is ignored without a key marker). One Seek: O(maxUploads). An unknown bucket gives
    /// an empty listing.
    /// </summary>
    public UploadListing ListMultipartUploads(string bucket, string? prefix, string? keyMarker, string? uploadIdMarker, int maxUploads)
    {
        ValidateBucketName(bucket);
        using var gate = EnterOperation();
        if (maxUploads <= 0 || !_buckets.ContainsKey(bucket))
        {
            return new UploadListing { Uploads = [], IsTruncated = false };
        }

        var idMarker = string.IsNullOrEmpty(keyMarker) || string.IsNullOrEmpty(uploadIdMarker) ? null : uploadIdMarker;
        return _store.ListUploads(bucket, prefix, string.IsNullOrEmpty(keyMarker) ? null : keyMarker, idMarker, maxUploads);
    }
}
