namespace ComIO.Storage;

/// <summary>
/// Outcome of <see cref="StorageEngine.SetObjectRetentionAsync"/> and <see cref="StorageEngine.SetObjectLegalHoldAsync"/>:
/// with <see cref="Status"/> Ok, <see cref="Object"/> is the version as committed (without data layout guarantees).
/// </summary>
public sealed class ObjectLockResult
{
    public required EngineStatus Status { get; init; }

    public ObjectRecord? Object { get; init; }
}
