using System.Globalization;
using System.Security.Cryptography;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Encryption;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// CreateMultipartUpload, UploadPart, UploadPartCopy, CompleteMultipartUpload and AbortMultipartUpload. Every call
/// of one upload goes to the node that owns the final key; completion stitches the parts there without copying.
/// </summary>
public sealed class MultipartHandlers(
    ClusterNodes cluster,
    StorageNodeClient nodes,
    BucketSettingsStore settingsStore,
    AclAssignment aclAssignment,
    Authorizer authorizer,
    Replication.ReplicationPlanner replication,
    TimeProvider time,
    ObjectEncryption encryption,
    EncryptedObjectReader reader)
{
    public const int MaxPartNumber = 10_000;
    public const long MaxPartBytes = 5L * 1024 * 1024 * 1024;
    private const int MaxCompleteBodyBytes = 4 * 1024 * 1024;

    public async Task CreateAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        ObjectHandlers.RejectUnsupportedWriteHeaders(request);
        var metadata = ObjectHeaders.FromRequest(request) with { ContentMd5 = null, ExpectedChecksum = null };
        var settings = await settingsStore.GetAsync(request);
        metadata = await aclAssignment.WithNewObjectAclAsync(request, settings, metadata);
        metadata = await ObjectLockHeaders.ApplyToWriteAsync(request, settings, metadata, authorizer, time.GetUtcNow());
        var plan = await encryption.PlanWriteAsync(request, settings, request.Bucket, request.Key);
        metadata = ObjectEncryption.Apply(metadata, plan);
        ObjectEncryption.WriteResponseHeaders(request.Response, plan);
        var upload = (await nodes.CreateUploadAsync(Owner(request), request.Bucket, request.Key, metadata, request.Aborted).ConfigureAwait(false)).OrThrow()!;
        if (metadata.ChecksumAlgorithm is { } algorithm)
        {
            request.Response.Headers["x-amz-checksum-algorithm"] = algorithm;
            request.Response.Headers["x-amz-checksum-type"] = "COMPOSITE";
        }

        await S3Responses.XmlAsync(request, S3Xml.Document("InitiateMultipartUploadResult", xml =>
        {
            xml.Element("Bucket", request.Bucket);
            xml.Element("Key", request.Key);
            xml.Element("UploadId", upload.UploadId);
        }));
    }

    public async Task UploadPartAsync(S3Request request)
    {
        var (uploadId, partNumber) = PartAddress(request);
        var (body, length) = RequestBody.Open(request);
        if (length > MaxPartBytes)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge);
        }

        var (algorithm, expected) = ObjectHeaders.RequestedChecksum(request);
        var md5 = request.Header("Content-MD5");
        var digests = new PutObjectMetadata { ContentMd5 = md5, ChecksumAlgorithm = algorithm, ExpectedChecksum = expected };
        if (md5 is null && algorithm is null)
        {
            await RequireIntegrityIfLockedAsync(request, uploadId);
        }

        var dataKey = await UploadKeyAsync(request, uploadId);
        var part = (await nodes.PutPartAsync(Owner(request), request.Bucket, request.Key, uploadId, partNumber, length, digests, body, request.Aborted, dataKey).ConfigureAwait(false)).OrThrow()!;
        request.Response.Headers.ETag = ObjectHeaders.Quote(part.ETag);
        if (part.ChecksumAlgorithm is { } name && part.Checksum is { } checksum)
        {
            request.Response.Headers["x-amz-checksum-" + name.ToLowerInvariant()] = checksum;
        }

        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    public async Task UploadPartCopyAsync(S3Request request)
    {
        var (uploadId, partNumber) = PartAddress(request);
        var (sourceBucket, sourceKey, sourceVersionId) = ObjectHandlers.ParseCopySource(request.Header("x-amz-copy-source")!);
        var rangeHeader = request.Header("x-amz-copy-source-range");
        ByteRange? range = null;
        if (rangeHeader is not null)
        {
            if (!ByteRange.TryParse(rangeHeader, out var parsed) || parsed.First is null || parsed.Last is null)
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
            }

            range = parsed;
        }

        await authorizer.AuthorizeAsync(request, sourceVersionId is null ? "s3:GetObject" : "s3:GetObjectVersion", sourceBucket, sourceKey);
        var dataKey = await UploadKeyAsync(request, uploadId);
        await using var source = await reader.GetObjectAsync(request, cluster.OwnerOf(sourceBucket, sourceKey), sourceBucket, sourceKey, rangeHeader, null, sourceVersionId, copySource: true).ConfigureAwait(false);
        if (source.Error is { } error)
        {
            if (source.HttpStatus == StatusCodes.Status416RangeNotSatisfiable)
            {
                throw new S3Exception(S3ErrorCode.InvalidRange);
            }

            throw NodeErrorMapper.ToS3(error);
        }

        var info = source.Info!;
        if (range is { } r && r.Last >= info.Size)
        {
            throw new S3Exception(S3ErrorCode.InvalidRange, "The requested range is not satisfiable");
        }

        if (Preconditions.Evaluate(request, info.ETag, info.LastModified, "x-amz-copy-source-") != PreconditionOutcome.Proceed)
        {
            throw new S3Exception(S3ErrorCode.PreconditionFailed);
        }

        var length = range is { } copyRange ? copyRange.Last!.Value - copyRange.First!.Value + 1 : info.Size;
        if (length > MaxPartBytes)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge);
        }

        var part = (await nodes.PutPartAsync(Owner(request), request.Bucket, request.Key, uploadId, partNumber, length, new PutObjectMetadata(), source.Content!, request.Aborted, dataKey).ConfigureAwait(false)).OrThrow()!;
        await S3Responses.XmlAsync(request, S3Xml.Document("CopyPartResult", xml =>
        {
            xml.ETagElement(part.ETag);
            xml.Element("LastModified", part.LastModified);
        }));
    }

    public async Task CompleteAsync(S3Request request)
    {
        var uploadId = UploadId(request);
        var parts = CompleteMultipartUploadXml.Parse(await S3Requests.ReadSmallBodyAsync(request, MaxCompleteBodyBytes));
        for (var i = 1; i < parts.Count; i++)
        {
            if (parts[i].PartNumber <= parts[i - 1].PartNumber)
            {
                throw new S3Exception(S3ErrorCodes.InvalidPartOrder);
            }
        }

        // A replication worker's completion commits another site's version (never replicated again); any other carries
        // the bucket's replication intent, if a rule matches.
        var replica = await Replication.ReplicaWrites.ReadAsync(request, authorizer, deleteMarker: false);
        var intent = replica is null ? replication.IntentFor(await settingsStore.GetAsync(request), request.Key) : null;
        var completed = await nodes.CompleteUploadAsync(Owner(request), request.Bucket, request.Key, uploadId, new CompleteMultipartRequest(parts, intent, replica), request.Aborted).ConfigureAwait(false);
        var info = completed.IsSuccess ? completed.Value!
            : completed.Error!.Status == NodeStatus.NoSuchUpload && await AlreadyCompletedAsync(request, parts) is { } done ? done
            : completed.OrThrow()!;
        ObjectVersions.WriteVersionId(request, ObjectHandlers.WrittenVersionId(info));
        encryption.WriteResponseHeaders(request, info.SystemMetadata);
        var location = $"{request.Http.Request.Scheme}://{request.Http.Request.Host}/{request.Bucket}/{Uri.EscapeDataString(request.Key).Replace("%2F", "/", StringComparison.Ordinal)}";
        await S3Responses.XmlAsync(request, S3Xml.Document("CompleteMultipartUploadResult", xml =>
        {
            xml.Element("Location", location);
            xml.Element("Bucket", request.Bucket);
            xml.Element("Key", request.Key);
            xml.ETagElement(info.ETag);
        }));
    }

    /// <summary>
    /// The object a completion of exactly these parts produced, when the upload is gone because it was completed: a
    /// client retrying a completion whose answer it lost (a dropped connection, an API replica restarting) gets the same
    /// success instead of NoSuchUpload. Recognised by the key's current version carrying the multipart ETag these part
    /// ETags make (hex MD5 of the binary part MD5s, "-", part count), so the object holds exactly the listed parts' bytes.
    /// Null otherwise.
    /// </summary>
    private async Task<ObjectInfo?> AlreadyCompletedAsync(S3Request request, List<CompletePart> parts)
    {
        if (MultipartETag(parts) is not { } expected)
        {
            return null;
        }

        var current = await nodes.GetObjectInfoAsync(Owner(request), request.Bucket, request.Key, request.Aborted).ConfigureAwait(false);
        return current is { IsSuccess: true, Value: { IsDeleteMarker: false } info } && string.Equals(info.ETag, expected, StringComparison.OrdinalIgnoreCase) ? info : null;
    }

    /// <summary>S3's multipart ETag of <paramref name="parts"/>; null when a part ETag is not a hex MD5.</summary>
    internal static string? MultipartETag(List<CompletePart> parts)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        Span<byte> digest = stackalloc byte[16];
        foreach (var part in parts)
        {
            if (Convert.FromHexString(part.ETag.Trim().Trim('"'), digest, out _, out var written) != System.Buffers.OperationStatus.Done || written != 16)
            {
                return null;
            }

            md5.AppendData(digest);
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset()) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture);
    }

    public async Task AbortAsync(S3Request request)
    {
        var uploadId = UploadId(request);
        (await nodes.AbortUploadAsync(Owner(request), request.Bucket, request.Key, uploadId, request.Aborted).ConfigureAwait(false)).OrThrow();
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// A part without Content-MD5 or a checksum is refused (InvalidRequest, as PutObject) when its upload carries Object
    /// Lock parameters: AWS UploadPart requires Content-MD5 "if object lock parameters are specified". Asked of the node
    /// only for such parts (current SDKs and CLIs always send a checksum).
    /// </summary>
    private async Task RequireIntegrityIfLockedAsync(S3Request request, string uploadId)
    {
        var page = (await nodes.ListPartsAsync(Owner(request), request.Bucket, request.Key, uploadId, 0, 1, request.Aborted).ConfigureAwait(false)).OrThrow()!;
        if (page.Upload.HasObjectLock)
        {
            throw new S3Exception(ObjectLockErrorCodes.MissingIntegrityOnLockedPut);
        }
    }

    private Placement.StorageNodeInfo Owner(S3Request request) => cluster.OwnerOf(request.Bucket, request.Key);

    /// <summary>
    /// The data key parts of this upload are encrypted under (null when the upload is not encrypted), from the upload's
    /// stored encryption; SSE-C uploads need the customer key on every part. Writes the encryption response headers.
    /// </summary>
    private async Task<byte[]?> UploadKeyAsync(S3Request request, string uploadId)
    {
        var page = (await nodes.ListPartsAsync(Owner(request), request.Bucket, request.Key, uploadId, 0, 0, request.Aborted).ConfigureAwait(false)).OrThrow()!;
        var system = page.Upload.SystemMetadata ?? [];
        var dataKey = await encryption.ResolveKeyAsync(request, system, request.Bucket, request.Key);
        encryption.WriteResponseHeaders(request, system);
        return dataKey;
    }

    private static string UploadId(S3Request request)
    {
        var uploadId = request.Query["uploadId"].ToString();
        return uploadId.Length == 0 ? throw new S3Exception(S3ErrorCode.NoSuchUpload) : uploadId;
    }

    private static (string UploadId, int PartNumber) PartAddress(S3Request request)
    {
        var uploadId = UploadId(request);
        if (!int.TryParse(request.Query["partNumber"], NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > MaxPartNumber)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive");
        }

        return (uploadId, partNumber);
    }
}
