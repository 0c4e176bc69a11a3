namespace ComIO.Contracts.Nodes;

public sealed record BucketInfo(string Name, DateTimeOffset CreationDate);
