namespace ComIO.Storage;

/// <summary>
/// A bucket's S3 versioning state. A bucket starts <see cref="Unversioned"/> and, once enabled, can only move between
/// <see cref="Enabled"/> and <see cref="Suspended"/> (as on S3). Stored as the bucket setting
/// <see cref="StorageEngine.VersioningSettingName"/> (UTF-8 "Enabled" / "Suspended"; absent = Unversioned).
/// </summary>
public enum VersioningState
{
    /// <summary>Never enabled: every write replaces the object's only ("null") version.</summary>
    Unversioned,

    /// <summary>Every write creates a new version with a unique id; deletes without a version id add a delete marker.</summary>
    Enabled,

    /// <summary>Writes replace the "null" version (older versions are kept); deletes add a "null" delete marker.</summary>
    Suspended,
}
