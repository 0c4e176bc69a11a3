namespace ComIO.Contracts.Nodes;

/// <summary>A node's sorted page of ListMultipartUploads: by key, then initiation time, then upload id.</summary>
public sealed record UploadListPage(List<MultipartUploadInfo> Uploads, bool IsTruncated);
