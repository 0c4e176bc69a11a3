using System.Collections.Frozen;

namespace ComIO.ApiService.Authorization;

/// <summary>
/// The IAM action each S3 operation is authorized as (AWS "Actions, resources, and condition keys for Amazon S3").
/// Operations that authorize per item (DeleteObjects per key) or twice (CopyObject, UploadPartCopy also need
/// <c>s3:GetObject</c> on the source) are handled by their handlers in addition to this table.
/// </summary>
public static class S3Actions
{
    private static readonly FrozenDictionary<string, S3Action> ByOperation = new Dictionary<string, S3Action>
    {
        ["CreateBucket"] = new("s3:CreateBucket", S3ActionLevel.Bucket),
        ["DeleteBucket"] = new("s3:DeleteBucket", S3ActionLevel.Bucket),
        ["HeadBucket"] = new("s3:ListBucket", S3ActionLevel.Bucket),
        ["GetBucketLocation"] = new("s3:GetBucketLocation", S3ActionLevel.Bucket),
        ["GetBucketVersioning"] = new("s3:GetBucketVersioning", S3ActionLevel.Bucket),
        ["ListObjects"] = new("s3:ListBucket", S3ActionLevel.Bucket),
        ["ListObjectsV2"] = new("s3:ListBucket", S3ActionLevel.Bucket),
        ["ListMultipartUploads"] = new("s3:ListBucketMultipartUploads", S3ActionLevel.Bucket),
        ["GetBucketAcl"] = new("s3:GetBucketAcl", S3ActionLevel.Bucket),
        ["PutBucketAcl"] = new("s3:PutBucketAcl", S3ActionLevel.Bucket),
        ["GetBucketPolicy"] = new("s3:GetBucketPolicy", S3ActionLevel.Bucket),
        ["PutBucketPolicy"] = new("s3:PutBucketPolicy", S3ActionLevel.Bucket),
        ["DeleteBucketPolicy"] = new("s3:DeleteBucketPolicy", S3ActionLevel.Bucket),
        ["GetBucketPolicyStatus"] = new("s3:GetBucketPolicyStatus", S3ActionLevel.Bucket),
        ["GetBucketCors"] = new("s3:GetBucketCORS", S3ActionLevel.Bucket),
        ["PutBucketCors"] = new("s3:PutBucketCORS", S3ActionLevel.Bucket),
        ["DeleteBucketCors"] = new("s3:PutBucketCORS", S3ActionLevel.Bucket),
        ["GetBucketEncryption"] = new("s3:GetEncryptionConfiguration", S3ActionLevel.Bucket),
        ["PutBucketEncryption"] = new("s3:PutEncryptionConfiguration", S3ActionLevel.Bucket),
        ["DeleteBucketEncryption"] = new("s3:PutEncryptionConfiguration", S3ActionLevel.Bucket),
        ["GetBucketOwnershipControls"] = new("s3:GetBucketOwnershipControls", S3ActionLevel.Bucket),
        ["PutBucketOwnershipControls"] = new("s3:PutBucketOwnershipControls", S3ActionLevel.Bucket),
        ["DeleteBucketOwnershipControls"] = new("s3:PutBucketOwnershipControls", S3ActionLevel.Bucket),
        ["GetPublicAccessBlock"] = new("s3:GetBucketPublicAccessBlock", S3ActionLevel.Bucket),
        ["PutPublicAccessBlock"] = new("s3:PutBucketPublicAccessBlock", S3ActionLevel.Bucket),
        ["DeletePublicAccessBlock"] = new("s3:PutBucketPublicAccessBlock", S3ActionLevel.Bucket),
        ["GetObject"] = new("s3:GetObject", S3ActionLevel.Object),
        ["HeadObject"] = new("s3:GetObject", S3ActionLevel.Object),
        ["PutObject"] = new("s3:PutObject", S3ActionLevel.Object),
        ["CopyObject"] = new("s3:PutObject", S3ActionLevel.Object),
        ["DeleteObject"] = new("s3:DeleteObject", S3ActionLevel.Object),
        ["GetObjectAcl"] = new("s3:GetObjectAcl", S3ActionLevel.Object),
        ["PutObjectAcl"] = new("s3:PutObjectAcl", S3ActionLevel.Object),
        ["GetObjectTagging"] = new("s3:GetObjectTagging", S3ActionLevel.Object),
        ["PutObjectTagging"] = new("s3:PutObjectTagging", S3ActionLevel.Object),
        ["DeleteObjectTagging"] = new("s3:DeleteObjectTagging", S3ActionLevel.Object),
        ["CreateMultipartUpload"] = new("s3:PutObject", S3ActionLevel.Object),
        ["UploadPart"] = new("s3:PutObject", S3ActionLevel.Object),
        ["UploadPartCopy"] = new("s3:PutObject", S3ActionLevel.Object),
        ["CompleteMultipartUpload"] = new("s3:PutObject", S3ActionLevel.Object),
        ["AbortMultipartUpload"] = new("s3:AbortMultipartUpload", S3ActionLevel.Object),
        ["ListParts"] = new("s3:ListMultipartUploadParts", S3ActionLevel.Object),
        ["PutBucketVersioning"] = new("s3:PutBucketVersioning", S3ActionLevel.Bucket),
        ["ListObjectVersions"] = new("s3:ListBucketVersions", S3ActionLevel.Bucket),
        ["GetObjectLockConfiguration"] = new("s3:GetBucketObjectLockConfiguration", S3ActionLevel.Bucket),
        ["PutObjectLockConfiguration"] = new("s3:PutBucketObjectLockConfiguration", S3ActionLevel.Bucket),
        ["GetObjectRetention"] = new("s3:GetObjectRetention", S3ActionLevel.Object),
        ["PutObjectRetention"] = new("s3:PutObjectRetention", S3ActionLevel.Object),
        ["GetObjectLegalHold"] = new("s3:GetObjectLegalHold", S3ActionLevel.Object),
        ["PutObjectLegalHold"] = new("s3:PutObjectLegalHold", S3ActionLevel.Object),
        ["GetBucketLifecycleConfiguration"] = new("s3:GetLifecycleConfiguration", S3ActionLevel.Bucket),
        ["PutBucketLifecycleConfiguration"] = new("s3:PutLifecycleConfiguration", S3ActionLevel.Bucket),
        ["DeleteBucketLifecycle"] = new("s3:PutLifecycleConfiguration", S3ActionLevel.Bucket),
        ["GetBucketReplication"] = new("s3:GetReplicationConfiguration", S3ActionLevel.Bucket),
        ["PutBucketReplication"] = new("s3:PutReplicationConfiguration", S3ActionLevel.Bucket),
        ["DeleteBucketReplication"] = new("s3:PutReplicationConfiguration", S3ActionLevel.Bucket),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The action of an object operation that names a version (<c>?versionId=</c>): GetObject and HeadObject are
    /// authorized as <c>s3:GetObjectVersion</c>, DeleteObject as <c>s3:DeleteObjectVersion</c>, tagging and ACL
    /// operations as their <c>…Version…</c> actions.
    /// </summary>
    private static readonly FrozenDictionary<string, S3Action> ByVersionedOperation = new Dictionary<string, S3Action>
    {
        ["GetObject"] = new("s3:GetObjectVersion", S3ActionLevel.Object),
        ["HeadObject"] = new("s3:GetObjectVersion", S3ActionLevel.Object),
        ["DeleteObject"] = new("s3:DeleteObjectVersion", S3ActionLevel.Object),
        ["GetObjectTagging"] = new("s3:GetObjectVersionTagging", S3ActionLevel.Object),
        ["PutObjectTagging"] = new("s3:PutObjectVersionTagging", S3ActionLevel.Object),
        ["DeleteObjectTagging"] = new("s3:DeleteObjectVersionTagging", S3ActionLevel.Object),
        ["GetObjectAcl"] = new("s3:GetObjectVersionAcl", S3ActionLevel.Object),
        ["PutObjectAcl"] = new("s3:PutObjectVersionAcl", S3ActionLevel.Object),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Operations whose handlers authorize the request themselves (see <see cref="For"/>).</summary>
    private static readonly FrozenSet<string> HandlerAuthorized = new[] { "DeleteObjects", "PostObject", "ListBuckets" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="operation"/> is authorized by its handler rather than by the action table.</summary>
    public static bool IsAuthorizedByHandler(string operation) => HandlerAuthorized.Contains(operation);

    /// <summary>
    /// The action of <paramref name="operation"/>, or null for operations their handlers authorize (DeleteObjects per key,
    /// PostObject once the form names its signer and key, ListBuckets which shows every signed caller its own buckets).
    /// </summary>
    public static S3Action? For(string operation) => ByOperation.GetValueOrDefault(operation);

    /// <summary>As <see cref="For(string)"/>, for a request that does (<paramref name="namesVersion"/>) or does not carry <c>versionId</c>.</summary>
    public static S3Action? For(string operation, bool namesVersion) =>
        namesVersion && ByVersionedOperation.TryGetValue(operation, out var versioned) ? versioned : For(operation);

    /// <summary>The resource ARN an action applies to.</summary>
    public static string ResourceArn(string? bucket, string? key) =>
        bucket is null ? "*" : key is null ? $"arn:aws:s3:::{bucket}" : $"arn:aws:s3:::{bucket}/{key}";
}
