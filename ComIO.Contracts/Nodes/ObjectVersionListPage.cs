namespace ComIO.Contracts.Nodes;

/// <summary>
/// One node's sorted slice of a version listing: versions and delete markers in S3 order (key ascending in ordinal UTF-8
/// order, newest version first) after the requested markers, each with <see cref="ObjectInfo.IsLatest"/> set.
/// </summary>
public sealed record ObjectVersionListPage(List<ObjectInfo> Versions, bool IsTruncated);
