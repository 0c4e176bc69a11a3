namespace ComIO.Contracts.Nodes;

/// <summary>
/// Outcome names a storage node reports in <see cref="NodeError.Status"/>. They mirror the engine's status values;
/// the API service maps them to S3 errors in one place.
/// </summary>
public static class NodeStatus
{
    public const string NoSuchBucket = "NoSuchBucket";
    public const string NoSuchKey = "NoSuchKey";
    public const string BucketAlreadyExists = "BucketAlreadyExists";
    public const string BucketNotEmpty = "BucketNotEmpty";
    public const string BadDigest = "BadDigest";
    public const string IncompleteBody = "IncompleteBody";
    public const string InsufficientStorage = "InsufficientStorage";
    public const string PreconditionFailed = "PreconditionFailed";
    public const string ChecksumMismatch = "ChecksumMismatch";
    public const string InvalidRequest = "InvalidRequest";
    public const string Unauthorized = "Unauthorized";
    public const string NoSuchUpload = "NoSuchUpload";
    public const string InvalidPartNumber = "InvalidPartNumber";
    public const string InvalidPart = "InvalidPart";
    public const string InvalidPartOrder = "InvalidPartOrder";
    public const string EntityTooSmall = "EntityTooSmall";
    public const string EntityTooLarge = "EntityTooLarge";
    public const string NoSuchVersion = "NoSuchVersion";
    public const string MethodNotAllowed = "MethodNotAllowed";

    /// <summary>Object Lock (retention or legal hold) refused a delete, an in-place overwrite or a retention change.</summary>
    public const string ObjectLocked = "ObjectLocked";

    /// <summary>The bucket's versioning state does not allow the operation (a replica needs versioning Enabled).</summary>
    public const string InvalidBucketState = "InvalidBucketState";

    /// <summary>The request carried a bucket-settings stamp that is no longer current (<see cref="InternalApi.SettingsStampHeader"/>).</summary>
    public const string StaleBucketSettings = "StaleBucketSettings";
}
