namespace ComIO.Contracts.Nodes;

/// <summary>
/// Result of a node's object delete. <see cref="DeleteMarker"/>: the version created (delete without version id in a
/// versioned bucket) or removed (delete with version id) is a delete marker. <see cref="VersionId"/>: that version's id
/// ("null" for the null version), or null for a plain delete in a never-versioned bucket.
/// </summary>
public sealed record DeleteObjectOutcome(bool DeleteMarker, string? VersionId);
