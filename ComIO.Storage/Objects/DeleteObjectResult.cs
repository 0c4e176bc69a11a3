namespace ComIO.Storage;

/// <summary>
/// Outcome of <see cref="StorageEngine.DeleteObjectVersionedAsync"/>. With <see cref="Status"/> Ok:
/// <see cref="DeleteMarker"/> tells whether the version created (delete without version id in a versioned bucket) or
/// permanently removed (delete with version id) is a delete marker, and <see cref="VersionId"/> is that version's id
/// ("null" for the null version; null for a plain delete in an unversioned bucket).
/// </summary>
public sealed class DeleteObjectResult
{
    public required EngineStatus Status { get; init; }

    public bool DeleteMarker { get; init; }

    public string? VersionId { get; init; }
}
