using ComIO.Contracts.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Replication;

namespace ComIO.StorageNode.Endpoints;

/// <summary>
/// Internal multipart routes. Parts live on the device that owns the final key, so completing an upload stitches
/// the parts' extents in metadata without copying data.
/// </summary>
public static class MultipartEndpoints
{
    public static RouteGroupBuilder MapMultipartEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/uploads/{bucket}", async (string bucket, string key, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            var metadata = HeaderJson.Decode(request.Headers[InternalApi.PutMetadataHeader], ContractsJsonContext.Default.PutObjectMetadata) ?? new PutObjectMetadata();
            if (!ObjectEndpoints.TryParseAlgorithm(metadata.ChecksumAlgorithm, out var algorithm))
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, $"Unknown checksum algorithm {metadata.ChecksumAlgorithm}."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            if (!ObjectInfoMapper.TryParseRetention(metadata.ObjectLockMode, metadata.ObjectLockRetainUntil, out var retention))
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, "Invalid object lock retention."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var result = await engines.For(bucket, key).CreateMultipartUploadAsync(
                new CreateUploadRequest
                {
                    Bucket = bucket,
                    Key = key,
                    ContentType = metadata.ContentType,
                    UserMetadata = metadata.UserMetadata,
                    SystemMetadata = metadata.SystemMetadata,
                    ChecksumAlgorithm = algorithm,
                    Tags = metadata.Tags.ToEngineTags(),
                    Retention = retention,
                    LegalHold = metadata.ObjectLockLegalHold,
                },
                ct);
            return result.Status == EngineStatus.Ok
                ? Results.Json(result.Upload!.ToInfo(), ContractsJsonContext.Default.MultipartUploadInfo)
                : ObjectInfoMapper.ToError(result.Status);
        });

        group.MapGet("/uploads/{bucket}", (string bucket, HttpRequest request, NodeEngines engines) =>
        {
            if (engines.All[0].GetBucket(bucket) is null)
            {
                return ObjectInfoMapper.ToError(EngineStatus.NoSuchBucket);
            }

            var maxUploads = int.TryParse(request.Query["max-uploads"], out var m) ? Math.Clamp(m, 0, 10_000) : 1000;
            var prefix = NullIfEmpty(request.Query["prefix"]);
            var keyMarker = NullIfEmpty(request.Query["key-marker"]);
            var uploadIdMarker = NullIfEmpty(request.Query["upload-id-marker"]);
            var merged = new List<MultipartUploadInfo>();
            var truncated = false;
            foreach (var engine in engines.All)
            {
                var page = engine.ListMultipartUploads(bucket, prefix, keyMarker, uploadIdMarker, maxUploads);
                truncated |= page.IsTruncated;
                merged.AddRange(page.Uploads.Select(u => u.ToInfo()));
            }

            merged.Sort(UploadOrder.Instance);
            if (merged.Count > maxUploads)
            {
                merged.RemoveRange(maxUploads, merged.Count - maxUploads);
                truncated = true;
            }

            return Results.Json(new UploadListPage(merged, truncated), ContractsJsonContext.Default.UploadListPage);
        });

        group.MapPut("/uploads/{bucket}/{uploadId}/parts/{partNumber:int}", PutPartAsync);

        group.MapGet("/uploads/{bucket}/{uploadId}/parts", (string bucket, string uploadId, string key, HttpRequest request, NodeEngines engines) =>
        {
            var marker = int.TryParse(request.Query["part-number-marker"], out var pm) ? pm : 0;
            var maxParts = int.TryParse(request.Query["max-parts"], out var mp) ? Math.Clamp(mp, 0, 10_000) : 1000;
            var listing = engines.For(bucket, key).ListParts(bucket, key, uploadId, marker, maxParts);
            return listing.Status == EngineStatus.Ok
                ? Results.Json(new PartListPage(listing.Upload!.ToInfo() with { SystemMetadata = new(listing.Upload!.SystemMetadata) }, [.. listing.Parts.Select(p => p.ToInfo())], listing.IsTruncated), ContractsJsonContext.Default.PartListPage)
                : ObjectInfoMapper.ToError(listing.Status);
        });

        group.MapPost("/uploads/{bucket}/{uploadId}/complete", async (string bucket, string uploadId, string key, HttpRequest request, NodeEngines engines, CancellationToken ct) =>
        {
            var body = await request.ReadFromJsonAsync(ContractsJsonContext.Default.CompleteMultipartRequest, ct);
            if (body is null || body.Parts.Count == 0)
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, "No parts to complete."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            if (body.Replica is { } replica && (!StorageEngine.IsValidVersionId(replica.VersionId) || replica.VersionId == "null"))
            {
                return Results.Json(new NodeError(NodeStatus.InvalidRequest, "Invalid replica version id."), ContractsJsonContext.Default.NodeError, statusCode: 400);
            }

            var result = await engines.For(bucket, key).CompleteMultipartUploadAsync(
                bucket, key, uploadId, [.. body.Parts.Select(p => new CompletedPart(p.PartNumber, p.ETag))],
                ReplicationPayload.Encode(body.Replication), ReplicationPayload.ToEngine(body.Replica), ct);
            return result.Status == EngineStatus.Ok
                ? Results.Json(result.Object!.ToInfo(), ContractsJsonContext.Default.ObjectInfo)
                : ObjectInfoMapper.ToError(result.Status);
        });

        group.MapDelete("/uploads/{bucket}/{uploadId}", async (string bucket, string uploadId, string key, NodeEngines engines, CancellationToken ct) =>
        {
            var status = await engines.For(bucket, key).AbortMultipartUploadAsync(bucket, key, uploadId, ct);
            return status == EngineStatus.Ok ? Results.NoContent() : ObjectInfoMapper.ToError(status);
        });

        return group;
    }

    private static async Task<IResult> PutPartAsync(string bucket, string uploadId, int partNumber, string key, HttpContext context, NodeEngines engines, ILoggerFactory loggers)
    {
        if (!ObjectEndpoints.TryReadPutHeaders(context, out var length, out var metadata, out var md5, out var algorithm, out var error)
            || !DataKeys.TryRead(context, out var dataKey, out error))
        {
            return error!;
        }

        try
        {
            var result = await engines.For(bucket, key).PutPartAsync(
                new PutPartRequest
                {
                    Bucket = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    ContentLength = length,
                    ExpectedMd5 = md5,
                    ChecksumAlgorithm = algorithm,
                    ExpectedChecksum = metadata.ExpectedChecksum,
                    DataKey = dataKey,
                },
                context.Request.Body,
                context.RequestAborted);
            return result.Status == EngineStatus.Ok
                ? Results.Json(result.Part!.ToInfo(), ContractsJsonContext.Default.PartInfo)
                : ObjectInfoMapper.ToError(result.Status);
        }
        catch (Exception e) when (ObjectEndpoints.IsBodyFailure(e, context))
        {
            loggers.CreateLogger("ComIO.StorageNode.UploadPart").LogWarning(e, "Body of part {PartNumber} of {Bucket}/{Key} ended early", partNumber, bucket, key);
            return ObjectInfoMapper.ToError(EngineStatus.IncompleteBody, "The request body ended before Content-Length bytes.");
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>ListMultipartUploads order: key (UTF-8), then initiation time, then upload id.</summary>
    private sealed class UploadOrder : IComparer<MultipartUploadInfo>
    {
        public static readonly UploadOrder Instance = new();

        public int Compare(MultipartUploadInfo? x, MultipartUploadInfo? y)
        {
            var byKey = Utf8KeyComparer.Instance.Compare(x!.Key, y!.Key);
            if (byKey != 0)
            {
                return byKey;
            }

            var byTime = x.Initiated.CompareTo(y.Initiated);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.UploadId, y.UploadId);
        }
    }
}
