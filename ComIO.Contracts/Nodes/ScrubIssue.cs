namespace ComIO.Contracts.Nodes;

/// <summary>A chunk that failed verification: where it is and what was wrong.</summary>
public sealed record ScrubIssue(string Bucket, string Key, int ChunkIndex, long DeviceOffset, string Problem);
