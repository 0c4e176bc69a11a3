using System.Net;

namespace ComIO.ApiService.Protocol.Errors;

/// <summary>The S3 errors of Object Lock, with the codes, statuses and messages AWS sends.</summary>
public static class ObjectLockErrorCodes
{
    /// <summary>GetObjectLockConfiguration on a bucket that has none.</summary>
    public static readonly S3ErrorCode ObjectLockConfigurationNotFound = new("ObjectLockConfigurationNotFoundError", HttpStatusCode.NotFound, "Object Lock configuration does not exist for this bucket");

    /// <summary>GetObjectRetention on a version without retention.</summary>
    public static readonly S3ErrorCode NoSuchObjectLockConfiguration = new("NoSuchObjectLockConfiguration", HttpStatusCode.NotFound, "The specified object does not have a ObjectLock configuration");

    /// <summary>Put/GetObjectRetention and Put/GetObjectLegalHold on a bucket without Object Lock.</summary>
    public static readonly S3ErrorCode MissingConfiguration = new("InvalidRequest", HttpStatusCode.BadRequest, "Bucket is missing Object Lock Configuration");

    /// <summary>Object Lock headers on PutObject, CopyObject or CreateMultipartUpload in a bucket without Object Lock (AWS's wording differs).</summary>
    public static readonly S3ErrorCode MissingConfigurationOnWrite = new("InvalidRequest", HttpStatusCode.BadRequest, "Bucket is missing ObjectLockConfiguration");

    /// <summary>
    /// PutObject with Object Lock parameters (lock headers, or a bucket default retention) but neither Content-MD5 nor an
    /// <c>x-amz-checksum-*</c> / <c>x-amz-sdk-checksum-algorithm</c> header: AWS's code and wording. Also answered to
    /// UploadPart of an upload created with Object Lock parameters.
    /// </summary>
    public static readonly S3ErrorCode MissingIntegrityOnLockedPut = new("InvalidRequest", HttpStatusCode.BadRequest, "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");

    /// <summary>PutObjectLockConfiguration on a bucket created without Object Lock.</summary>
    public static readonly S3ErrorCode CannotEnableOnExistingBucket = new("InvalidBucketState", HttpStatusCode.Conflict, "Object Lock configuration cannot be enabled on existing buckets");

    /// <summary>PutBucketVersioning Suspended on a bucket with Object Lock.</summary>
    public static readonly S3ErrorCode VersioningLocked = new("InvalidBucketState", HttpStatusCode.Conflict, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");

    /// <summary>A delete, overwrite or retention change refused because the version is protected.</summary>
    public static readonly S3ErrorCode ObjectLocked = new("AccessDenied", HttpStatusCode.Forbidden, "Access Denied because object protected by object lock.");
}
