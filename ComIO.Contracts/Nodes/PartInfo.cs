namespace ComIO.Contracts.Nodes;

/// <summary>One uploaded part. <see cref="ETag"/> is the part's lower-case hex MD5 without quotes.</summary>
public sealed record PartInfo(int PartNumber, long Size, string ETag, DateTimeOffset LastModified, string? ChecksumAlgorithm = null, string? Checksum = null);
