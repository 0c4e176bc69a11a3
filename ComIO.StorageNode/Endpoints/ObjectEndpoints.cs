using System.Buffers;
using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Replication;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Internal object routes. Bodies stream straight between the socket and the engine; nothing is buffered whole.</summary>
public static class ObjectEndpoints
{
    private const int CopyBufferSize = 256 * 1024;

    public static RouteGroupBuilder MapObjectEndpoints(this RouteGroupBuilder group)
    {
        group.MapPut("/objects/{bucket}", PutAsync).AddEndpointFilter<SettingsStampCheck>();
        group.MapGet("/objects/{bucket}", GetAsync).AddEndpointFilter<SettingsStampCheck>();
        group.MapGet("/objects/{bucket}/info", (string bucket, string key, string? versionId, HttpContext context, NodeEngines engines) =>
        {
            var engine = engines.For(bucket, key);
            if (engine.GetBucket(bucket) is null)
            {
                return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
            }

            var record = Resolve(engine, bucket, key, versionId, context, out var error);
            return record is null ? error! : Results.Json(ReadInfo(engine, record), ContractsJsonContext.Default.ObjectInfo);
        }).AddEndpointFilter<SettingsStampCheck>();
        group.MapDelete("/objects/{bucket}", async (string bucket, string key, string? versionId, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            var bypassGovernance = request.Query["bypass-governance"] == "true";
            var engine = engines.For(bucket, key);
            var replica = HeaderJson.Decode(request.Headers[InternalApi.ReplicaHeader], ContractsJsonContext.Default.ReplicaInfo);
            if (replica is not null && (versionId is not null || !StorageEngine.IsValidVersionId(replica.VersionId) || replica.VersionId == "null"))
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, "A replica delete marker needs a source version id and no versionId."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var intent = HeaderJson.Decode(request.Headers[InternalApi.ReplicationHeader], ContractsJsonContext.Default.ReplicationIntent);
            var result = replica is not null
                ? await engine.ApplyReplicaDeleteMarkerAsync(bucket, key, ReplicationPayload.ToEngine(replica)!, ct)
                : await engine.DeleteObjectVersionedAsync(bucket, key, versionId, bypassGovernance, versionId is null ? ReplicationPayload.Encode(intent) : null, ct);
            return result.Status == EngineStatus.Ok
                ? Results.Json(new DeleteObjectOutcome(result.DeleteMarker, result.VersionId), ContractsJsonContext.Default.DeleteObjectOutcome)
                : ObjectInfoMapper.ToError(result.Status);
        }).AddEndpointFilter<SettingsStampCheck>();
        group.MapGet("/versions/{bucket}", (string bucket, string? prefix, HttpRequest request, NodeEngines engines) =>
        {
            var keyMarker = request.Query["key-marker"].ToString();
            var versionIdMarker = request.Query["version-id-marker"].ToString();
            var maxKeys = int.TryParse(request.Query["max-keys"], out var m) ? Math.Clamp(m, 0, 10_000) : 1000;
            var metadataKey = request.Query[InternalApi.ListMetadataParameter].ToString();
            return ListVersionsMerged(engines, bucket, prefix, string.IsNullOrEmpty(keyMarker) ? null : keyMarker, string.IsNullOrEmpty(versionIdMarker) ? null : versionIdMarker, maxKeys,
                metadataKey.Length == 0 ? null : metadataKey);
        });
        group.MapGet("/list/{bucket}", (string bucket, string? prefix, HttpRequest request, NodeEngines engines) =>
        {
            var startAfter = request.Query["start-after"].ToString();
            var maxKeys = int.TryParse(request.Query["max-keys"], out var m) ? Math.Clamp(m, 0, 10_000) : 1000;
            var metadataKey = request.Query[InternalApi.ListMetadataParameter].ToString();
            return ListMerged(engines, bucket, prefix, string.IsNullOrEmpty(startAfter) ? null : startAfter, maxKeys, metadataKey.Length == 0 ? null : metadataKey);
        });
        return group;
    }

    private static async Task<IResult> PutAsync(string bucket, string key, HttpContext context, NodeEngines engines, ILoggerFactory loggers)
    {
        if (!TryReadPutHeaders(context, out var length, out var metadata, out var md5, out var algorithm, out var error)
            || !DataKeys.TryRead(context, out var dataKey, out error))
        {
            return error!;
        }

        if (!ObjectInfoMapper.TryParseRetention(metadata.ObjectLockMode, metadata.ObjectLockRetainUntil, out var retention))
        {
            return Results.Json(new NodeError(NodeStatus.InvalidRequest, "Invalid object lock retention."), ContractsJsonContext.Default.NodeError, statusCode: 400);
        }

        if (metadata.Replica is { } replicaInfo && (!StorageEngine.IsValidVersionId(replicaInfo.VersionId) || replicaInfo.VersionId == "null"))
        {
            return Results.Json(new NodeError(NodeStatus.InvalidRequest, "Invalid replica version id."), ContractsJsonContext.Default.NodeError, statusCode: 400);
        }

        try
        {
            var result = await engines.For(bucket, key).PutObjectAsync(
                new PutObjectRequest
                {
                    Bucket = bucket,
                    Key = key,
                    ContentLength = length,
                    ContentType = metadata.ContentType,
                    UserMetadata = metadata.UserMetadata,
                    SystemMetadata = metadata.SystemMetadata,
                    ExpectedMd5 = md5,
                    ChecksumAlgorithm = algorithm,
                    ExpectedChecksum = metadata.ExpectedChecksum,
                    IfMatch = metadata.IfMatch,
                    IfNoneMatch = metadata.IfNoneMatch,
                    Tags = metadata.Tags.ToEngineTags(),
                    Retention = retention,
                    LegalHold = metadata.ObjectLockLegalHold,
                    OutboxPayload = ReplicationPayload.Encode(metadata.Replication),
                    Replica = ReplicationPayload.ToEngine(metadata.Replica),
                    DataKey = dataKey,
                    OpaqueETag = context.Request.Headers[InternalApi.OpaqueETagHeader] == "true",
                },
                context.Request.Body,
                context.RequestAborted);
            return result.Status == EngineStatus.Ok
                ? Results.Json(result.Object!.ToWriteResult(), ContractsJsonContext.Default.ObjectInfo)
                : ObjectInfoMapper.ToError(result.Status);
        }
        catch (Exception e) when (IsBodyFailure(e, context))
        {
            loggers.CreateLogger("ComIO.StorageNode.Put").LogWarning(e, "Body of {Bucket}/{Key} ended early", bucket, key);
            return ObjectInfoMapper.ToError(EngineStatus.IncompleteBody, "The request body ended before Content-Length bytes.");
        }
    }

    /// <summary>
    /// Reads what every body-carrying write needs: Content-Length (required), the metadata header, and the decoded
    /// Content-MD5 and checksum algorithm. On failure <paramref name="error"/> is the response to send.
    /// </summary>
    internal static bool TryReadPutHeaders(HttpContext context, out long length, out PutObjectMetadata metadata, out byte[]? md5, out ChecksumAlgorithm? algorithm, out IResult? error)
    {
        var request = context.Request;
        metadata = HeaderJson.Decode(request.Headers[InternalApi.PutMetadataHeader], ContractsJsonContext.Default.PutObjectMetadata) ?? new PutObjectMetadata();
        length = request.ContentLength ?? -1;
        md5 = null;
        algorithm = null;
        error = null;
        if (length < 0)
        {
            error = Results.Json(new NodeError(NodeStatus.InvalidRequest, "Content-Length is required."), ContractsJsonContext.Default.NodeError, statusCode: 411);
            return false;
        }

        if (metadata.ContentMd5 is { } md5Text && !TryDecodeBase64(md5Text, out md5))
        {
            error = Results.Json(new NodeError(NodeStatus.BadDigest, "Content-MD5 is not valid base64."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            return false;
        }

        if (ObjectTags.Problem(metadata.Tags.ToEngineTags()) is { } tagProblem)
        {
            error = Results.Json(new NodeError(NodeStatus.InvalidRequest, tagProblem), ContractsJsonContext.Default.NodeError, statusCode: 400);
            return false;
        }

        if (!TryParseAlgorithm(metadata.ChecksumAlgorithm, out algorithm))
        {
            error = Results.Json(new NodeError(NodeStatus.InvalidRequest, $"Unknown checksum algorithm {metadata.ChecksumAlgorithm}."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            return false;
        }

        return true;
    }

    /// <summary>Parses a checksum algorithm name (CRC32, CRC32C, CRC64NVME, SHA1, SHA256); null stays null.</summary>
    internal static bool TryParseAlgorithm(string? name, out ChecksumAlgorithm? algorithm)
    {
        algorithm = null;
        if (name is null)
        {
            return true;
        }

        if (!Enum.TryParse<ChecksumAlgorithm>(name, ignoreCase: true, out var parsed))
        {
            return false;
        }

        algorithm = parsed;
        return true;
    }

    /// <summary>
    /// True when a write failed because the request body did (truncated body, client gone); device I/O errors are not
    /// body failures and propagate as server errors.
    /// </summary>
    internal static bool IsBodyFailure(Exception e, HttpContext context) =>
        e is BadHttpRequestException || (e is IOException or OperationCanceledException && context.RequestAborted.IsCancellationRequested);

    private static async Task GetAsync(string bucket, string key, HttpContext context, NodeEngines engines, ILoggerFactory loggers)
    {
        var engine = engines.For(bucket, key);
        var ct = context.RequestAborted;
        if (engine.GetBucket(bucket) is null)
        {
            await ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket).ExecuteAsync(context);
            return;
        }

        // Resolve the range against the record, then open exactly that version (the record itself for the current
        // version, by ETag for a named one): a concurrent overwrite between the two steps is retried, so the length sent
        // always matches the bytes streamed.
        var versionId = context.Request.Query["versionId"].Count > 0 ? context.Request.Query["versionId"].ToString() : null;
        if (!DataKeys.TryRead(context, out var dataKey, out var keyError))
        {
            await keyError!.ExecuteAsync(context);
            return;
        }

        OpenObjectResult? opened = null;
        ObjectRecord? record = null;
        long offset = 0, length = 0;
        var partial = false;
        for (var attempt = 0; attempt < 3 && opened is null; attempt++)
        {
            record = Resolve(engine, bucket, key, versionId, context, out var missing, withData: versionId is null);
            if (record is null)
            {
                await missing!.ExecuteAsync(context);
                return;
            }

            if (DataKeys.NeedsKey(context, record, dataKey))
            {
                // Encrypted at rest: the API service resolves the key from the version's metadata and asks again.
                context.Response.Headers[InternalApi.ObjectInfoHeader] = HeaderJson.Encode(ReadInfo(engine, record), ContractsJsonContext.Default.ObjectInfo);
                await ObjectInfoMapper.ToError(EngineStatus.EncryptionKeyRequired).ExecuteAsync(context);
                return;
            }

            offset = 0;
            length = record.Size;
            if (int.TryParse(context.Request.Query["part-number"], out var partNumber))
            {
                // A part of a multipart object is a range; an object written in one PUT has exactly part 1, itself.
                partial = record.PartCount > 0;
                if (partial ? !record.TryGetPartRange(partNumber, out offset, out length) : partNumber != 1)
                {
                    context.Response.Headers[InternalApi.ObjectInfoHeader] = HeaderJson.Encode(record.ToInfo(), ContractsJsonContext.Default.ObjectInfo);
                    await Results.Json(new NodeError(NodeStatus.InvalidPartNumber), ContractsJsonContext.Default.NodeError, statusCode: 416).ExecuteAsync(context);
                    return;
                }
            }
            else if ((partial = ByteRange.TryParse(context.Request.Query["range"].ToString(), out var range)) && !range.TryResolve(record.Size, out offset, out length))
            {
                context.Response.Headers[InternalApi.ObjectInfoHeader] = HeaderJson.Encode(record.ToInfo(), ContractsJsonContext.Default.ObjectInfo);
                await Results.Json(new NodeError("InvalidRange"), ContractsJsonContext.Default.NodeError, statusCode: 416).ExecuteAsync(context);
                return;
            }

            var candidate = versionId is null
                ? await engine.OpenCurrentAsync(record, offset, length, dataKey, ct)
                : await engine.OpenObjectVersionAsync(bucket, key, versionId, offset, length, record.ETag, dataKey, ct);
            if (candidate.Status == EngineStatus.Ok && candidate.Content is not null)
            {
                opened = candidate;
            }
            else
            {
                await candidate.DisposeAsync();
                if (candidate.Status != EngineStatus.PreconditionFailed)
                {
                    await ObjectInfoMapper.ToError(candidate.Status == EngineStatus.Ok ? EngineStatus.NoSuchKey : candidate.Status).ExecuteAsync(context);
                    return;
                }
            }
        }

        if (opened is null)
        {
            await ObjectInfoMapper.ToError(EngineStatus.PreconditionFailed, "The object changed repeatedly while being opened.").ExecuteAsync(context);
            return;
        }

        await using var openedScope = opened;
        var content = opened.Content!;
        var logger = loggers.CreateLogger("ComIO.StorageNode.Get");
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            try
            {
                // Read (and so verify) the first chunk before committing to a 200: corruption at the start is a clean error.
                read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct);
            }
            catch (ChecksumMismatchException e)
            {
                logger.LogError(e, "Checksum mismatch reading {Bucket}/{Key}", bucket, key);
                await Results.Json(new NodeError(NodeStatus.ChecksumMismatch, "Stored data failed checksum verification."), ContractsJsonContext.Default.NodeError, statusCode: 500).ExecuteAsync(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentLength = length;
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers[InternalApi.ObjectInfoHeader] = HeaderJson.Encode(ReadInfo(engine, record!), ContractsJsonContext.Default.ObjectInfo);
            if (partial)
            {
                context.Response.Headers["X-ComIO-Content-Range"] = $"bytes {offset}-{offset + length - 1}/{record!.Size}";
            }

            while (read > 0)
            {
                await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
                try
                {
                    read = await content.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct);
                }
                catch (ChecksumMismatchException e)
                {
                    // Headers are gone: the only honest signal left is to cut the response short.
                    logger.LogError(e, "Checksum mismatch mid-stream in {Bucket}/{Key}; aborting the response", bucket, key);
                    context.Abort();
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The data version a GET/HEAD names: the current one (<paramref name="versionId"/> null) or that version. When there is
    /// none, <paramref name="error"/> is the answer: 404 NoSuchKey (with the delete marker in
    /// <see cref="InternalApi.ObjectInfoHeader"/> when the latest version is one), 404 NoSuchVersion, or 405
    /// MethodNotAllowed with the delete marker in the header. <paramref name="withData"/> (current version only) reads the
    /// record with what <see cref="StorageEngine.OpenCurrentAsync"/> needs to open it without reading it again.
    /// </summary>
    private static ObjectRecord? Resolve(StorageEngine engine, string bucket, string key, string? versionId, HttpContext context, out IResult? error, bool withData = false)
    {
        error = null;
        var record = versionId is null ? engine.GetObject(bucket, key, withData) : engine.GetObjectVersion(bucket, key, versionId);
        if (record is { IsDeleteMarker: false })
        {
            return record;
        }

        var marker = versionId is null ? engine.GetObjectVersion(bucket, key, null) : record;
        if (marker is { IsDeleteMarker: true })
        {
            context.Response.Headers[InternalApi.ObjectInfoHeader] = HeaderJson.Encode(marker.ToInfo(), ContractsJsonContext.Default.ObjectInfo);
        }

        error = ObjectInfoMapper.ToError(
            versionId is null ? EngineStatus.NoSuchKey : marker is null ? EngineStatus.NoSuchVersion : EngineStatus.MethodNotAllowed);
        return null;
    }

    /// <summary>The info a read reports: the record plus whether its bucket has ever been versioned.</summary>
    private static ObjectInfo ReadInfo(StorageEngine engine, ObjectRecord record) =>
        record.ToInfo() with { InVersionedBucket = engine.GetVersioning(record.Bucket) != VersioningState.Unversioned };

    private static IResult ListVersionsMerged(NodeEngines engines, string bucket, string? prefix, string? keyMarker, string? versionIdMarker, int maxKeys, string? systemMetadataKey)
    {
        if (engines.All[0].GetBucket(bucket) is null)
        {
            return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
        }

        var summary = new ListingSummary(systemMetadataKey);
        var (versions, truncated) = MergeDevicePages(engines, maxKeys, engine =>
        {
            var page = engine.ListObjectVersions(bucket, prefix, keyMarker, versionIdMarker, maxKeys, summary);
            return (page.Versions.Select(v => v.ToVersionListEntry(systemMetadataKey)).ToList(), page.IsTruncated);
        });
        return new ListPageResult(body => ObjectListPageCodec.WriteVersions(body, versions, truncated));
    }

    private static IResult ListMerged(NodeEngines engines, string bucket, string? prefix, string? startAfter, int maxKeys, string? systemMetadataKey)
    {
        if (engines.All[0].GetBucket(bucket) is null)
        {
            return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
        }

        var summary = new ListingSummary(systemMetadataKey);
        var (objects, truncated) = MergeDevicePages(engines, maxKeys, engine =>
        {
            var page = engine.ListObjects(bucket, prefix, startAfter, maxKeys, summary);
            return (page.Objects.Select(o => o.ToListEntry(systemMetadataKey)).ToList(), page.IsTruncated);
        });
        return new ListPageResult(body => ObjectListPageCodec.Write(body, objects, truncated));
    }

    /// <summary>
    /// The node's page: each device's page (up to <paramref name="maxKeys"/> entries in key order, from
    /// <paramref name="listDevice"/>) merged, cut to <paramref name="maxKeys"/>. Every key lives on exactly one device, so
    /// a device's page holds whole runs of a key's versions, which the merge keeps in order; and since each device
    /// answered up to maxKeys, the first maxKeys of the merge are complete. Truncated when a device had more or the
    /// merge left entries out.
    /// </summary>
    private static (List<ObjectInfo> Entries, bool Truncated) MergeDevicePages(NodeEngines engines, int maxKeys, Func<StorageEngine, (List<ObjectInfo> Entries, bool IsTruncated)> listDevice)
    {
        var pages = new List<List<ObjectInfo>>(engines.All.Count);
        var truncated = false;
        var total = 0;
        foreach (var engine in engines.All)
        {
            var (entries, isTruncated) = listDevice(engine);
            pages.Add(entries);
            truncated |= isTruncated;
            total += entries.Count;
        }

        var merged = KeyOrderMerge.Merge(pages, maxKeys);
        return (merged, truncated || total > merged.Count);
    }

    private static bool TryDecodeBase64(string text, out byte[]? bytes)
    {
        bytes = new byte[(text.Length * 3 / 4) + 3];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        bytes = null;
        return false;
    }
}
