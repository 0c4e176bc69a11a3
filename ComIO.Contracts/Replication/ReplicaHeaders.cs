namespace ComIO.Contracts.Replication;

/// <summary>
/// Request headers a replication worker adds to the S3 calls that apply a change on a destination site. They are only
/// honoured for callers allowed <c>s3:ReplicateObject</c> (PUT, CompleteMultipartUpload) or <c>s3:ReplicateDelete</c>
/// (DELETE) on the destination bucket, which must have versioning Enabled. The destination stores the version under the
/// source's version id (so applying it twice, or out of order, is a no-op or lands as a noncurrent version: the newest
/// version id is the current one — last writer wins on the time encoded in the id) and marks it as a replica, so it is
/// never replicated again.
/// </summary>
public static class ReplicaHeaders
{
    /// <summary>The source version id; its presence makes the request a replica write.</summary>
    public const string VersionId = "x-comio-replica-version-id";

    /// <summary>The source ETag (quoted), kept verbatim; for a single-part ETag the body's MD5 must match it.</summary>
    public const string ETag = "x-comio-replica-etag";

    /// <summary>The site the change comes from.</summary>
    public const string Source = "x-comio-replica-source";

    /// <summary>"true" on a DELETE that applies a delete marker.</summary>
    public const string DeleteMarker = "x-comio-replica-delete-marker";
}
