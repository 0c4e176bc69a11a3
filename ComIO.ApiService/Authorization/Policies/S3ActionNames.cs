using System.Collections.Frozen;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// The S3 action names a policy may mention (without the <c>s3:</c> prefix, compared case-insensitively). Generous on purpose: the
/// list exists to reject typos, so it includes actions ComIO does not implement yet.
/// </summary>
internal static class S3ActionNames
{
    public const string Prefix = "s3:";

    public static readonly FrozenSet<string> All = new[]
    {
        "AbortMultipartUpload", "BypassGovernanceRetention", "CreateAccessPoint", "CreateAccessPointForObjectLambda",
        "CreateBucket", "CreateJob", "CreateMultiRegionAccessPoint", "CreateStorageLensGroup",
        "DeleteAccessPoint", "DeleteAccessPointForObjectLambda", "DeleteAccessPointPolicy", "DeleteBucket",
        "DeleteBucketOwnershipControls", "DeleteBucketPolicy", "DeleteBucketWebsite", "DeleteJobTagging",
        "DeleteMultiRegionAccessPoint", "DeleteObject", "DeleteObjectTagging", "DeleteObjectVersion",
        "DeleteObjectVersionTagging", "DeleteStorageLensConfiguration", "DeleteStorageLensConfigurationTagging",
        "DescribeJob", "DescribeMultiRegionAccessPointOperation",
        "GetAccelerateConfiguration", "GetAccessPoint", "GetAccessPointConfigurationForObjectLambda",
        "GetAccessPointPolicy", "GetAccessPointPolicyStatus", "GetAccountPublicAccessBlock", "GetAnalyticsConfiguration",
        "GetBucketAcl", "GetBucketCORS", "GetBucketLocation", "GetBucketLogging", "GetBucketNotification",
        "GetBucketObjectLockConfiguration", "GetBucketOwnershipControls", "GetBucketPolicy", "GetBucketPolicyStatus",
        "GetBucketPublicAccessBlock", "GetBucketRequestPayment", "GetBucketTagging", "GetBucketVersioning",
        "GetBucketWebsite", "GetEncryptionConfiguration", "GetIntelligentTieringConfiguration",
        "GetInventoryConfiguration", "GetJobTagging", "GetLifecycleConfiguration", "GetMetricsConfiguration",
        "GetMultiRegionAccessPoint", "GetObject", "GetObjectAcl", "GetObjectAttributes", "GetObjectLegalHold",
        "GetObjectRetention", "GetObjectTagging", "GetObjectTorrent", "GetObjectVersion", "GetObjectVersionAcl",
        "GetObjectVersionAttributes", "GetObjectVersionForReplication", "GetObjectVersionTagging",
        "GetObjectVersionTorrent", "GetReplicationConfiguration", "GetStorageLensConfiguration",
        "GetStorageLensConfigurationTagging", "GetStorageLensDashboard", "InitiateReplication",
        "ListAccessPoints", "ListAccessPointsForObjectLambda", "ListAllMyBuckets", "ListBucket",
        "ListBucketMultipartUploads", "ListBucketVersions", "ListJobs", "ListMultiRegionAccessPoints",
        "ListMultipartUploadParts", "ListStorageLensConfigurations", "ListTagsForResource",
        "ObjectOwnerOverrideToBucketOwner",
        "PutAccelerateConfiguration", "PutAccessPointConfigurationForObjectLambda", "PutAccessPointPolicy",
        "PutAccountPublicAccessBlock", "PutAnalyticsConfiguration", "PutBucketAcl", "PutBucketCORS",
        "PutBucketLogging", "PutBucketNotification", "PutBucketObjectLockConfiguration", "PutBucketOwnershipControls",
        "PutBucketPolicy", "PutBucketPublicAccessBlock", "PutBucketRequestPayment", "PutBucketTagging",
        "PutBucketVersioning", "PutBucketWebsite", "PutEncryptionConfiguration", "PutIntelligentTieringConfiguration",
        "PutInventoryConfiguration", "PutJobTagging", "PutLifecycleConfiguration", "PutMetricsConfiguration",
        "PutObject", "PutObjectAcl", "PutObjectLegalHold", "PutObjectRetention", "PutObjectTagging",
        "PutObjectVersionAcl", "PutObjectVersionTagging", "PutReplicationConfiguration",
        "PutStorageLensConfiguration", "PutStorageLensConfigurationTagging",
        "ReplicateDelete", "ReplicateObject", "ReplicateTags", "RestoreObject", "TagResource", "UntagResource",
        "UpdateJobPriority", "UpdateJobStatus",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="pattern"/> is a valid <c>Action</c> entry: <c>*</c>, a known <c>s3:</c> action, or an <c>s3:</c>
    /// wildcard pattern that matches at least one known action.
    /// </summary>
    public static bool IsValidPattern(string pattern)
    {
        if (pattern == "*")
        {
            return true;
        }

        if (!pattern.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || pattern.Length == Prefix.Length)
        {
            return false;
        }

        var name = pattern.AsSpan(Prefix.Length);
        if (!GlobMatcher.HasWildcard(name))
        {
            return All.Contains(pattern[Prefix.Length..]);
        }

        foreach (var known in All)
        {
            if (GlobMatcher.IsMatch(name, known, ignoreCase: true))
            {
                return true;
            }
        }

        return false;
    }
}
