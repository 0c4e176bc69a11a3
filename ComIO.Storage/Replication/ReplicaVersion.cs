namespace ComIO.Storage;

/// <summary>
/// Identity of a version created on another site, applied here as a replica: stored under the same version id (so
/// applying it again is a no-op) with the modification time encoded in that id, placed in the key's version order by
/// that id (newest id = current version: last writer wins on time, then id), and never replicated again.
/// </summary>
/// <param name="VersionId">The source version id (a well-formed, non-"null" id).</param>
/// <param name="ETag">The source ETag, unquoted, kept verbatim (multipart ETags cannot be recomputed from the body); null = the ETag computed here.</param>
public sealed record ReplicaVersion(string VersionId, string? ETag = null);
