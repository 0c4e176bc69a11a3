namespace ComIO.Contracts.Nodes;

public sealed record NodeStats(string NodeId, long CapacityBytes, long UsedBytes, long FreeBytes, long ObjectCount, long ChecksumFailures, bool Healthy);
