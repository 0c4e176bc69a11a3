namespace ComIO.Contracts.Nodes;

/// <summary>A multipart upload in progress, as a node reports it. <see cref="UploadId"/> is URL-safe ([A-Za-z0-9_-]).</summary>
public sealed record MultipartUploadInfo(string Bucket, string Key, string UploadId, DateTimeOffset Initiated)
{
    /// <summary>
    /// True when the upload was created with Object Lock parameters (a retention, explicit or the bucket default, or a
    /// legal hold): as on AWS, each of its parts then needs Content-MD5 or a checksum.
    /// </summary>
    public bool HasObjectLock { get; init; }

    /// <summary>The upload's system metadata (set by ListParts; carries its encryption: mode and wrapped data key).</summary>
    public Dictionary<string, string>? SystemMetadata { get; init; }
}
