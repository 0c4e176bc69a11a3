namespace ComIO.Contracts.Nodes;

/// <summary>A node's page of ListParts: parts with numbers above the marker, ascending.</summary>
public sealed record PartListPage(MultipartUploadInfo Upload, List<PartInfo> Parts, bool IsTruncated);
