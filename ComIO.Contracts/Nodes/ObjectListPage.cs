namespace ComIO.Contracts.Nodes;

/// <summary>One node's sorted slice of a bucket listing: keys in ordinal UTF-8 order after the requested start.</summary>
public sealed record ObjectListPage(List<ObjectInfo> Objects, bool IsTruncated);
