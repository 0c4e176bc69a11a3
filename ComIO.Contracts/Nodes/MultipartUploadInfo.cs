namespace ComIO.Contracts.Nodes;

/// <summary>A multipart upload in progress, as a node reports it. <see cref="UploadId"/> is URL-safe ([A-Za-z0-9_-]).</summary>
public sealed record MultipartUploadInfo(string Bucket, string Key, string UploadId, DateTimeOffset Initiated)
{
    /// <summary>The upload's system metadata (set by ListParts; carries its encryption: mode and wrapped data key).</summary>
    public Dictionary<string, string>? SystemMetadata { get; init; }
}
