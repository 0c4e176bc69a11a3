using System.Globalization;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Encryption;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>PutObject, GetObject, HeadObject, DeleteObject and CopyObject. Bodies stream between client and node.</summary>
public sealed class ObjectHandlers(
    ClusterNodes cluster,
    StorageNodeClient nodes,
    BucketHandlers buckets,
    BucketSettingsStore settingsStore,
    AclAssignment aclAssignment,
    Authorizer authorizer,
    Replication.ReplicationPlanner replication,
    TimeProvider time,
    ObjectEncryption encryption,
    EncryptedObjectReader reader)
{
    private const int CopyBufferSize = 128 * 1024;

    /// <summary>
    /// Write headers that ask for a feature ComIO does not implement yet (website redirects): such a write answers 501
    /// NotImplemented rather than succeeding without the feature. (Encryption headers are handled by <see cref="ObjectEncryption"/>.)
    /// </summary>
    private static readonly string[] UnsupportedWriteHeaders =
    [
        "x-amz-website-redirect-location",
    ];

    public async Task PutObjectAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        RejectUnsupportedWriteHeaders(request);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var metadata = ObjectHeaders.FromRequest(request);
        var settings = await settingsStore.GetAsync(request);
        metadata = await aclAssignment.WithNewObjectAclAsync(request, settings, metadata);
        metadata = await ObjectLockHeaders.ApplyToWriteAsync(request, settings, metadata, authorizer, time.GetUtcNow());
        metadata = await WithReplicationAsync(request, settings, metadata); // a replica's source ETag counts as its Content-MD5
        ObjectLockHeaders.RequireIntegrityForLockedPut(request, metadata);
        metadata = await CheckWritePreconditionsAsync(request, owner, metadata);
        var plan = await encryption.PlanWriteAsync(request, settings, request.Bucket, request.Key);
        metadata = ObjectEncryption.Apply(metadata, plan);

        // Decided with remembered settings: the payload (small) is kept so the request can be served again if they were stale.
        var (body, length) = request.SettingsStamp is null ? RequestBody.Open(request) : await RequestBody.OpenReplayableAsync(request, BucketSettingsStore.ReplayablePutBytes);
        var result = await nodes.PutObjectAsync(owner, request.Bucket, request.Key, length, metadata, body, request.Aborted, plan?.DataKey, plan?.OpaqueETag ?? false, request.SettingsStamp).ConfigureAwait(false);
        var info = result.OrThrow()!;
        request.Response.StatusCode = StatusCodes.Status200OK;
        ObjectEncryption.WriteResponseHeaders(request.Response, plan);
        ObjectVersions.WriteVersionId(request, WrittenVersionId(info));
        request.Response.Headers.ETag = ObjectHeaders.Quote(info.ETag);
        if (info.ChecksumAlgorithm is { } algorithm && info.Checksum is { } checksum)
        {
            request.Response.Headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = checksum;
            request.Response.Headers["x-amz-checksum-type"] = "FULL_OBJECT";
        }

        request.Response.ContentLength = 0;
    }

    public async Task GetObjectAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var range = request.Header("Range");
        var partNumber = PartNumberOf(request);
        var versionId = ObjectVersions.VersionIdOf(request);
        await settingsStore.GetAsync(request); // before the node call, which then confirms they are current (x-amz-expiration)
        await using var opened = await reader.GetObjectAsync(request, owner, request.Bucket, request.Key, range, partNumber, versionId).ConfigureAwait(false);
        if (opened.Error is { } error)
        {
            if (error.Status == NodeStatus.InvalidPartNumber)
            {
                throw new S3Exception(S3ErrorCodes.InvalidPartNumber);
            }

            if (opened.HttpStatus == StatusCodes.Status416RangeNotSatisfiable && opened.Info is { } sized)
            {
                // Conditions are evaluated before the range, as S3 does: a 304/412 wins over a 416.
                ThrowIfPreconditionFails(request, sized);
                ThrowInvalidRange(range, sized);
            }

            throw ObjectVersions.ToS3(error, opened.Info);
        }

        var info = opened.Info ?? throw new S3Exception(S3ErrorCode.InternalError);
        ThrowIfPreconditionFails(request, info);
        ObjectVersions.WriteVersionId(request, ReadVersionId(info, versionId));
        await WriteExpirationAsync(request, info, versionId);
        ObjectHeaders.WriteObjectHeaders(request, info, includeChecksum: opened.ContentRange is null && ChecksumModeEnabled(request));
        await ObjectLockHeaders.WriteResponseHeadersAsync(request, info, authorizer);
        encryption.WriteResponseHeaders(request, info.SystemMetadata);
        WritePartsCount(request, info, partNumber);
        var response = request.Response;
        if (opened.ContentRange is { } contentRange)
        {
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = contentRange;
        }
        else
        {
            response.StatusCode = StatusCodes.Status200OK;
        }

        var length = RangeLength(opened.ContentRange) ?? info.Size;
        response.ContentLength = length;
        await CopyBodyAsync(opened.Content!, response.Body, length, request.Aborted);
    }

    public async Task HeadObjectAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        await settingsStore.GetAsync(request); // before the node call, which then confirms they are current (x-amz-expiration)
        var (found, deleteMarker) = await nodes.GetObjectVersionInfoAsync(owner, request.Bucket, request.Key, versionId, request.Aborted, request.SettingsStamp).ConfigureAwait(false);
        var info = found.IsSuccess ? found.Value! : throw ObjectVersions.ToS3(found.Error!, deleteMarker);
        await encryption.ResolveKeyAsync(request, info.SystemMetadata, request.Bucket, request.Key); // SSE-C: the right key is required
        ThrowIfPreconditionFails(request, info);
        ObjectVersions.WriteVersionId(request, ReadVersionId(info, versionId));
        await WriteExpirationAsync(request, info, versionId);
        if (PartNumberOf(request) is { } partNumber)
        {
            await HeadPartAsync(request, owner, info, partNumber, versionId);
            return;
        }

        var range = request.Header("Range");
        long offset = 0, length = info.Size;
        var partial = ByteRange.TryParse(range, out var parsed);
        if (partial && !parsed.TryResolve(info.Size, out offset, out length))
        {
            ThrowInvalidRange(range, info);
        }

        ObjectHeaders.WriteObjectHeaders(request, info, includeChecksum: !partial && ChecksumModeEnabled(request));
        await ObjectLockHeaders.WriteResponseHeadersAsync(request, info, authorizer);
        encryption.WriteResponseHeaders(request, info.SystemMetadata);
        if (partial)
        {
            request.Response.StatusCode = StatusCodes.Status206PartialContent;
            request.Response.Headers.ContentRange = $"bytes {offset}-{offset + length - 1}/{info.Size}";
        }
        else
        {
            request.Response.StatusCode = StatusCodes.Status200OK;
        }

        request.Response.ContentLength = length;
    }

    public async Task DeleteObjectAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        var bypass = await ObjectLockHeaders.BypassGovernanceAsync(request, authorizer, request.Key);
        var replica = await Replication.ReplicaWrites.ReadAsync(request, authorizer, deleteMarker: true);
        if (replica is not null && versionId is not null)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "A replica delete marker cannot name a versionId.");
        }

        // A delete marker (no version id) is replicated as the bucket's rules say; removing a version is not (as AWS).
        var intent = replica is null && versionId is null ? replication.IntentFor(await settingsStore.GetAsync(request), request.Key, deleteMarker: true) : null;
        var result = await nodes.DeleteObjectAsync(owner, request.Bucket, request.Key, request.Aborted, versionId, bypass, intent, replica, request.SettingsStamp).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            // A delete marker created (no version id) or removed (by version id) is reported as S3 does.
            if (result.Value!.DeleteMarker)
            {
                request.Response.Headers[ObjectVersions.DeleteMarkerHeader] = "true";
            }

            ObjectVersions.WriteVersionId(request, result.Value.VersionId);
        }
        else if (result.Error!.Status == NodeStatus.NoSuchVersion)
        {
            // Deleting a version that does not exist succeeds (DELETE is idempotent) and echoes the id, as S3 does.
            ObjectVersions.WriteVersionId(request, versionId);
        }
        else if (result.Error.Status != NodeStatus.NoSuchKey)
        {
            throw NodeErrorMapper.ToS3(result.Error);
        }

        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task CopyObjectAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        RejectUnsupportedWriteHeaders(request);
        var (sourceBucket, sourceKey, sourceVersionId) = ParseCopySource(request.Header("x-amz-copy-source")!);
        ObjectHeaders.ValidateKey(sourceKey);
        var directive = request.Header("x-amz-metadata-directive")?.ToUpperInvariant() ?? "COPY";
        if (directive is not ("COPY" or "REPLACE"))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown metadata directive.");
        }

        await authorizer.AuthorizeAsync(request, sourceVersionId is null ? "s3:GetObject" : "s3:GetObjectVersion", sourceBucket, sourceKey);
        var sourceOwner = cluster.OwnerOf(sourceBucket, sourceKey);
        await using var source = await reader.GetObjectAsync(request, sourceOwner, sourceBucket, sourceKey, null, null, sourceVersionId, copySource: true).ConfigureAwait(false);
        if (source.Error is { } error)
        {
            throw CopySourceError(error, source.Info);
        }

        var info = source.Info!;
        var outcome = Preconditions.Evaluate(request, info.ETag, info.LastModified, "x-amz-copy-source-");
        if (outcome != PreconditionOutcome.Proceed)
        {
            throw new S3Exception(S3ErrorCode.PreconditionFailed);
        }

        // Copying a named version onto its own key is how S3 restores a previous version; only the current one is refused.
        if (sourceBucket == request.Bucket && sourceKey == request.Key && directive == "COPY" && (sourceVersionId is null || source.Info!.IsLatest)
            && !ObjectEncryption.ExplicitlyRequested(request))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        await buckets.EnsureExistsAsync(request);
        PutObjectMetadata metadata;
        if (directive == "REPLACE")
        {
            metadata = ObjectHeaders.FromRequest(request) with { ContentMd5 = null, ExpectedChecksum = null };
        }
        else
        {
            var (algorithm, _) = ObjectHeaders.RequestedChecksum(request);
            metadata = new PutObjectMetadata
            {
                ContentType = info.ContentType,
                UserMetadata = new(info.UserMetadata),
                SystemMetadata = new(info.SystemMetadata),
                ChecksumAlgorithm = algorithm ?? info.ChecksumAlgorithm,
            };
        }

        metadata = metadata with { Tags = TaggingHandlers.CopyTags(request, info) };
        var settings = await settingsStore.GetAsync(request);
        metadata = await aclAssignment.WithNewObjectAclAsync(request, settings, metadata);
        metadata = await ObjectLockHeaders.ApplyToWriteAsync(request, settings, metadata, authorizer, time.GetUtcNow());
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        metadata = await CheckWritePreconditionsAsync(request, owner, metadata);
        metadata = metadata with { Replication = replication.IntentFor(settings, request.Key) };
        var plan = await encryption.PlanWriteAsync(request, settings, request.Bucket, request.Key);
        metadata = ObjectEncryption.Apply(metadata, plan);
        var result = await nodes.PutObjectAsync(owner, request.Bucket, request.Key, info.Size, metadata, source.Content!, request.Aborted, plan?.DataKey, plan?.OpaqueETag ?? false).ConfigureAwait(false);
        var copied = result.OrThrow()!;
        ObjectEncryption.WriteResponseHeaders(request.Response, plan);
        if (info.VersionId != "null" || sourceVersionId is not null)
        {
            request.Response.Headers["x-amz-copy-source-version-id"] = info.VersionId;
        }

        ObjectVersions.WriteVersionId(request, WrittenVersionId(copied));

        await S3Responses.XmlAsync(request, S3Xml.Document("CopyObjectResult", xml =>
        {
            xml.ETagElement(copied.ETag);
            xml.Element("LastModified", copied.LastModified);
            if (copied.ChecksumAlgorithm is { } algorithm && copied.Checksum is { } checksum)
            {
                xml.Element("Checksum" + algorithm.ToUpperInvariant(), checksum);
            }
        }));
    }

    /// <summary>
    /// A replication worker's PUT becomes a replica write (never replicated again); any other PUT carries the bucket's
    /// replication intent, if a rule matches.
    /// </summary>
    private async Task<PutObjectMetadata> WithReplicationAsync(S3Request request, BucketSettings settings, PutObjectMetadata metadata)
    {
        if (await Replication.ReplicaWrites.ReadAsync(request, authorizer, deleteMarker: false) is { } replica)
        {
            var kms = string.Equals(request.Header("x-amz-server-side-encryption"), "aws:kms", StringComparison.Ordinal);
            return Replication.ReplicaWrites.WithEtagCheck(metadata, replica, kms) with { Replica = replica };
        }

        return metadata with { Replication = replication.IntentFor(settings, request.Key) };
    }

    /// <summary>The <c>partNumber</c> query parameter (1–10,000), or null when absent.</summary>
    private static int? PartNumberOf(S3Request request)
    {
        var text = request.Query["partNumber"].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MultipartHandlers.MaxPartNumber
            ? value
            : throw new S3Exception(S3ErrorCode.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
    }

    /// <summary>
    /// <c>x-amz-expiration</c> on GET/HEAD of a current version that an enabled lifecycle Expiration rule of the bucket
    /// matches (see <see cref="Lifecycle.LifecycleHandlers.ExpirationValue"/>); nothing for noncurrent versions.
    /// </summary>
    private async Task WriteExpirationAsync(S3Request request, ObjectInfo info, string? versionId)
    {
        if (info.IsDeleteMarker || (versionId is not null && !info.IsLatest))
        {
            return;
        }

        var settings = await settingsStore.GetAsync(request);
        var tags = info.Tags.Count == 0 ? [] : info.Tags.Select(static t => new KeyValuePair<string, string>(t.Key, t.Value)).ToList();
        if (Lifecycle.LifecycleHandlers.ExpirationValue(settings, info.Key, info.Size, tags, info.LastModified) is { } expiration)
        {
            request.Response.Headers[Lifecycle.LifecycleHandlers.ExpirationHeader] = expiration;
        }
    }

    /// <summary>
    /// The <c>x-amz-version-id</c> of a write: the new version's id when versioning is enabled. A write while versioning
    /// is suspended (the null version) or in a never-versioned bucket answers without it, as S3 does.
    /// </summary>
    internal static string? WrittenVersionId(ObjectInfo written) =>
        written.VersionId != VersionIdSyntax.Null ? written.VersionId : null;

    /// <summary>
    /// The <c>x-amz-version-id</c> of a read: the version's id in a bucket that has ever been versioned ("null" for the
    /// null version) or when one was asked for; none for an object of a never-versioned bucket.
    /// </summary>
    internal static string? ReadVersionId(ObjectInfo info, string? requestedVersionId) =>
        info.VersionId != VersionIdSyntax.Null || requestedVersionId is not null || info.InVersionedBucket ? info.VersionId : null;

    /// <summary>
    /// The error for an unreadable copy source: a delete marker named by version id is InvalidRequest (S3's wording); the
    /// latest version being a delete marker is NoSuchKey; an unknown version NoSuchVersion.
    /// </summary>
    internal static S3Exception CopySourceError(NodeError error, ObjectInfo? deleteMarker) =>
        error.Status == NodeStatus.MethodNotAllowed
            ? new S3Exception(S3ErrorCode.InvalidRequest, "The source of a copy request may not specifically refer to a delete marker by version id.")
            : ObjectVersions.ToS3(error, deleteMarker);

    /// <summary>HEAD ?partNumber: the part's length and range, resolved by the node (its data is not streamed).</summary>
    private async Task HeadPartAsync(S3Request request, Placement.StorageNodeInfo owner, ObjectInfo info, int partNumber, string? versionId)
    {
        await using var part = await reader.GetObjectAsync(request, owner, request.Bucket, request.Key, null, partNumber, versionId).ConfigureAwait(false);
        if (part.Error is { } error)
        {
            throw error.Status == NodeStatus.InvalidPartNumber ? new S3Exception(S3ErrorCodes.InvalidPartNumber) : NodeErrorMapper.ToS3(error);
        }

        ObjectHeaders.WriteObjectHeaders(request, part.Info ?? info, includeChecksum: false);
        await ObjectLockHeaders.WriteResponseHeadersAsync(request, info, authorizer);
        encryption.WriteResponseHeaders(request, info.SystemMetadata);
        WritePartsCount(request, info, partNumber);
        request.Response.StatusCode = part.ContentRange is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        if (part.ContentRange is { } contentRange)
        {
            request.Response.Headers.ContentRange = contentRange;
        }

        request.Response.ContentLength = RangeLength(part.ContentRange) ?? info.Size;
    }

    /// <summary>S3 returns <c>x-amz-mp-parts-count</c> when a part of a multipart object was asked for.</summary>
    private static void WritePartsCount(S3Request request, ObjectInfo info, int? partNumber)
    {
        if (partNumber is not null && info.PartCount > 0)
        {
            request.Response.Headers["x-amz-mp-parts-count"] = info.PartCount.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Parses <c>x-amz-copy-source</c>: <c>[/]bucket/key[?versionId=…]</c>, percent-encoded either per segment or as a
    /// whole (the AWS SDK for .NET sends <c>bucket%2Fkey</c>). The query is split off before decoding, so an encoded
    /// <c>%3F</c> stays part of the key; after decoding, the first slash separates bucket and key (bucket names hold none).
    /// The version id (null when absent) must have the shape of a version id (InvalidArgument otherwise).
    /// </summary>
    public static (string Bucket, string Key, string? VersionId) ParseCopySource(string header)
    {
        var value = header;
        var query = value.IndexOf('?');
        string? versionId = null;
        if (query >= 0)
        {
            var parameters = value[(query + 1)..];
            value = value[..query];
            if (parameters.StartsWith("versionId=", StringComparison.Ordinal))
            {
                versionId = ObjectVersions.Validated(Uri.UnescapeDataString(parameters["versionId=".Length..]));
            }
        }

        value = S3TargetParser.Decode(value);
        if (value.StartsWith('/'))
        {
            value = value[1..];
        }

        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }

        return (value[..slash], value[(slash + 1)..], versionId);
    }

    /// <summary>
    /// Conditional writes (PutObject, CopyObject destination): <c>If-None-Match: *</c> and <c>If-Match</c> (an ETag list).
    /// Fails early (412, or 404 NoSuchKey for If-Match on a missing key) before any body is streamed, and returns
    /// <paramref name="metadata"/> carrying the condition to the node, which re-checks it atomically with the commit so
    /// that of concurrent conditional writers at most one succeeds per version.
    /// </summary>
    private async Task<PutObjectMetadata> CheckWritePreconditionsAsync(S3Request request, Placement.StorageNodeInfo owner, PutObjectMetadata metadata)
    {
        var ifNoneMatch = request.Header("If-None-Match");
        var ifMatch = request.Header("If-Match");
        if (ifNoneMatch is null && ifMatch is null)
        {
            return metadata;
        }

        if (ifNoneMatch is not null && ifNoneMatch.Trim() != "*")
        {
            throw new S3Exception(S3ErrorCode.NotImplemented, "If-None-Match on PUT supports only '*'.");
        }

        var current = await nodes.GetObjectInfoAsync(owner, request.Bucket, request.Key, request.Aborted).ConfigureAwait(false);
        if (!current.IsSuccess && current.Error!.Status != NodeStatus.NoSuchKey)
        {
            throw NodeErrorMapper.ToS3(current.Error);
        }

        if (ifNoneMatch is not null && current.IsSuccess)
        {
            throw new S3Exception(S3ErrorCode.PreconditionFailed) { ExtraElements = [new("Condition", "If-None-Match")] };
        }

        if (ifMatch is not null)
        {
            if (!current.IsSuccess)
            {
                throw new S3Exception(S3ErrorCode.NoSuchKey);
            }

            if (!Preconditions.EtagListMatches(ifMatch, current.Value!.ETag))
            {
                throw new S3Exception(S3ErrorCode.PreconditionFailed) { ExtraElements = [new("Condition", "If-Match")] };
            }
        }

        return metadata with { IfNoneMatch = ifNoneMatch is not null, IfMatch = ifMatch is not null ? current.Value!.ETag : null };
    }

    internal static void RejectUnsupportedWriteHeaders(S3Request request)
    {
        foreach (var header in UnsupportedWriteHeaders)
        {
            if (request.Header(header) is not null)
            {
                throw new S3Exception(S3ErrorCode.NotImplemented, $"{header} is not implemented yet.");
            }
        }

        var storageClass = request.Header("x-amz-storage-class");
        if (storageClass is not null && storageClass != "STANDARD")
        {
            throw new S3Exception(S3ErrorCodes.InvalidStorageClass);
        }
    }

    /// <summary>
    /// Throws 412 PreconditionFailed (naming the failed header in <c>Condition</c>) or 304 NotModified (with the
    /// object's <c>ETag</c> and <c>Last-Modified</c>, as RFC 9110 requires) when a GET/HEAD condition does not hold.
    /// </summary>
    private static void ThrowIfPreconditionFails(S3Request request, ObjectInfo info)
    {
        switch (Preconditions.Evaluate(request, info.ETag, info.LastModified, "", out var condition))
        {
            case PreconditionOutcome.PreconditionFailed:
                throw new S3Exception(S3ErrorCode.PreconditionFailed) { ExtraElements = [new("Condition", condition!)] };
            case PreconditionOutcome.NotModified:
                throw new S3Exception(S3ErrorCodes.NotModified)
                {
                    ResponseHeaders = [new("ETag", ObjectHeaders.Quote(info.ETag)), new("Last-Modified", S3Xml.HttpDate(info.LastModified))],
                };
        }
    }

    /// <summary>Throws 416 InvalidRange with <c>Content-Range: bytes */size</c>, as S3 answers an unsatisfiable range.</summary>
    private static void ThrowInvalidRange(string? range, ObjectInfo info) =>
        throw new S3Exception(S3ErrorCode.InvalidRange)
        {
            ExtraElements = [new("RangeRequested", range ?? ""), new("ActualObjectSize", info.Size.ToString(CultureInfo.InvariantCulture))],
            ResponseHeaders = [new("Content-Range", $"bytes */{info.Size}")],
        };

    private static bool ChecksumModeEnabled(S3Request request) =>
        string.Equals(request.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase);

    private static long? RangeLength(string? contentRange)
    {
        // "bytes first-last/size"
        if (contentRange is null)
        {
            return null;
        }

        var span = contentRange.AsSpan("bytes ".Length);
        var dash = span.IndexOf('-');
        var slash = span.IndexOf('/');
        return long.Parse(span[(dash + 1)..slash], CultureInfo.InvariantCulture) - long.Parse(span[..dash], CultureInfo.InvariantCulture) + 1;
    }

    private static async Task CopyBodyAsync(Stream source, Stream destination, long length, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long copied = 0;
            int read;
            while (copied < length && (read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(CopyBufferSize, length - copied)), ct).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                copied += read;
            }

            if (copied != length)
            {
                // The node cut the stream (checksum failure or crash): never let a short body look complete.
                throw new IOException($"Object stream ended after {copied} of {length} bytes.");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
