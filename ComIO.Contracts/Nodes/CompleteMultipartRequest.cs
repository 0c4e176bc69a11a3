namespace ComIO.Contracts.Nodes;

/// <summary>Body of a node's complete-upload call: the parts in the order the client listed them.</summary>
public sealed record CompleteMultipartRequest(List<CompletePart> Parts);
