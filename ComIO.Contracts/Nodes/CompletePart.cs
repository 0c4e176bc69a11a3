namespace ComIO.Contracts.Nodes;

/// <summary>A part named in CompleteMultipartUpload, in the client's order.</summary>
public sealed record CompletePart(int PartNumber, string ETag);
