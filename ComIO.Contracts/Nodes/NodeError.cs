namespace ComIO.Contracts.Nodes;

/// <summary>Body of every non-success internal API response.</summary>
public sealed record NodeError(string Status, string? Message = null);
