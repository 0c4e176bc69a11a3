namespace ComIO.Contracts.Nodes;

/// <summary>One S3 object tag (case-sensitive key, value possibly empty).</summary>
public sealed record ObjectTag(string Key, string Value);
