namespace ComIO.Storage;

/// <summary>A part named in a CompleteMultipartUpload request; <paramref name="ETag"/> as the client listed it (quotes are ignored).</summary>
public readonly record struct CompletedPart(int PartNumber, string ETag);
