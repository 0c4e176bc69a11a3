namespace ComIO.Contracts.Nodes;

/// <summary>A bucket as a node reports it; <see cref="Owner"/> is the bucket's <c>owner</c> setting (JSON text) when recorded.</summary>
public sealed record BucketInfo(string Name, DateTimeOffset CreationDate, string? Owner = null);
