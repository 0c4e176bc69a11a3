using ComIO.Contracts.Nodes;
using ComIO.Storage;

namespace ComIO.StorageNode.Endpoints;

/// <summary>Maps engine records and statuses to the internal API's wire types.</summary>
public static class ObjectInfoMapper
{
    /// <remarks>The info shares the record's metadata maps: both are read-only, and a record is never changed in place.</remarks>
    public static ObjectInfo ToInfo(this ObjectRecord record) => new()
    {
        Bucket = record.Bucket,
        Key = record.Key,
        VersionId = record.VersionId,
        IsDeleteMarker = record.IsDeleteMarker,
        IsLatest = record.IsLatest,
        Size = record.Size,
        ETag = record.ETag,
        LastModified = record.LastModified,
        ContentType = record.ContentType,
        UserMetadata = record.UserMetadata,
        SystemMetadata = record.SystemMetadata,
        ChecksumAlgorithm = WireName(record.ChecksumAlgorithm),
        Checksum = record.Checksum,
        PartCount = record.PartCount,
        Tags = record.Tags.Count == 0 ? [] : [.. record.Tags.Select(static t => new ObjectTag(t.Key, t.Value))],
        ObjectLockMode = record.Retention is { } retention ? ModeName(retention.Mode) : null,
        ObjectLockRetainUntil = record.Retention?.RetainUntil,
        ObjectLockLegalHold = record.LegalHold,
    };

    /// <summary>
    /// The answer to a PUT: what the API service reports of a write (version id, ETag, last-modified, size and the
    /// full-object checksum), without the metadata, tags and ACL the caller has just sent.
    /// </summary>
    public static ObjectInfo ToWriteResult(this ObjectRecord record) => new()
    {
        Bucket = record.Bucket,
        Key = record.Key,
        VersionId = record.VersionId,
        Size = record.Size,
        ETag = record.ETag,
        LastModified = record.LastModified,
        ChecksumAlgorithm = WireName(record.ChecksumAlgorithm),
        Checksum = record.Checksum,
    };

    /// <summary>
    /// A listing entry (<see cref="InternalApi.List"/>): key, size, ETag, last-modified and checksum algorithm, plus the
    /// one system metadata entry <paramref name="systemMetadataKey"/> when the object has it.
    /// </summary>
    public static ObjectInfo ToListEntry(this ObjectRecord record, string? systemMetadataKey) => ToListEntry(record, systemMetadataKey, versioned: false);

    /// <summary>A version listing entry (<see cref="InternalApi.Versions"/>): a listing entry plus version id, delete-marker and latest flags.</summary>
    public static ObjectInfo ToVersionListEntry(this ObjectRecord record, string? systemMetadataKey) => ToListEntry(record, systemMetadataKey, versioned: true);

    private static ObjectInfo ToListEntry(ObjectRecord record, string? systemMetadataKey, bool versioned) => new()
    {
        Bucket = record.Bucket,
        Key = record.Key,
        VersionId = versioned ? record.VersionId : "null",
        IsDeleteMarker = versioned && record.IsDeleteMarker,
        IsLatest = versioned && record.IsLatest,
        Size = record.Size,
        ETag = record.ETag,
        LastModified = record.LastModified,
        ChecksumAlgorithm = WireName(record.ChecksumAlgorithm),
        SystemMetadata = ListedSystemMetadata(record.SystemMetadata, systemMetadataKey),
    };

    /// <summary>
    /// The record's <paramref name="systemMetadataKey"/> entry alone. A record read for a listing
    /// (<see cref="ListingSummary"/>) holds at most that entry, and its map is then used as it is.
    /// </summary>
    private static IReadOnlyDictionary<string, string> ListedSystemMetadata(IReadOnlyDictionary<string, string> metadata, string? systemMetadataKey)
    {
        if (systemMetadataKey is null || !metadata.TryGetValue(systemMetadataKey, out var value))
        {
            return ObjectInfo.NoMetadata;
        }

        return metadata.Count == 1 ? metadata : new Dictionary<string, string>(1, StringComparer.Ordinal) { [systemMetadataKey] = value };
    }

    /// <summary>The S3 name of an additional checksum algorithm (one shared string per algorithm).</summary>
    public static string? WireName(ChecksumAlgorithm? algorithm) => algorithm switch
    {
        null => null,
        ChecksumAlgorithm.Crc32 => ChecksumAlgorithmNames.Crc32,
        ChecksumAlgorithm.Crc32C => ChecksumAlgorithmNames.Crc32C,
        ChecksumAlgorithm.Crc64Nvme => ChecksumAlgorithmNames.Crc64Nvme,
        ChecksumAlgorithm.Sha1 => ChecksumAlgorithmNames.Sha1,
        ChecksumAlgorithm.Sha256 => ChecksumAlgorithmNames.Sha256,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown checksum algorithm."),
    };

    /// <summary>The wire (and S3) name of a retention mode.</summary>
    public static string ModeName(RetentionMode mode) => mode == RetentionMode.Compliance ? "COMPLIANCE" : "GOVERNANCE";

    /// <summary>
    /// The engine retention for a wire mode and date: both null = none; one without the other or an unknown mode is
    /// invalid (false).
    /// </summary>
    public static bool TryParseRetention(string? mode, DateTimeOffset? retainUntil, out ObjectRetention? retention)
    {
        retention = null;
        if (mode is null && retainUntil is null)
        {
            return true;
        }

        if (retainUntil is not { } until || mode is not ("GOVERNANCE" or "COMPLIANCE"))
        {
            return false;
        }

        retention = new ObjectRetention(mode == "COMPLIANCE" ? RetentionMode.Compliance : RetentionMode.Governance, until);
        return true;
    }

    /// <summary>The engine's form of a wire tag set.</summary>
    public static KeyValuePair<string, string>[] ToEngineTags(this List<ObjectTag>? tags) =>
        tags is null ? [] : [.. tags.Select(static t => new KeyValuePair<string, string>(t.Key, t.Value))];

    public static MultipartUploadInfo ToInfo(this MultipartUpload upload) =>
        new(upload.Bucket, upload.Key, upload.UploadId, upload.Initiated) { HasObjectLock = upload.Retention is not null || upload.LegalHold };

    public static PartInfo ToInfo(this PartRecord part) =>
        new(part.PartNumber, part.Size, part.ETag, part.LastModified, WireName(part.ChecksumAlgorithm), part.Checksum);

    /// <summary>The HTTP status and error body for an engine status other than <see cref="EngineStatus.Ok"/>.</summary>
    public static IResult ToError(EngineStatus status, string? message = null)
    {
        var code = status switch
        {
            EngineStatus.NoSuchBucket or EngineStatus.NoSuchKey or EngineStatus.NoSuchUpload or EngineStatus.NoSuchVersion => StatusCodes.Status404NotFound,
            EngineStatus.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
            EngineStatus.ObjectLocked or EngineStatus.EncryptionKeyRequired => StatusCodes.Status403Forbidden,
            EngineStatus.InvalidPart or EngineStatus.InvalidPartOrder or EngineStatus.EntityTooSmall or EngineStatus.EntityTooLarge => StatusCodes.Status400BadRequest,
            EngineStatus.BucketAlreadyExists or EngineStatus.BucketNotEmpty => StatusCodes.Status409Conflict,
            EngineStatus.BadDigest or EngineStatus.IncompleteBody => StatusCodes.Status400BadRequest,
            EngineStatus.InsufficientStorage => StatusCodes.Status507InsufficientStorage,
            EngineStatus.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
            EngineStatus.InvalidBucketState => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status500InternalServerError,
        };
        return Results.Json(new NodeError(status.ToString(), message), ContractsJsonContext.Default.NodeError, statusCode: code);
    }
}
