namespace ComIO.Contracts.Nodes;

/// <summary>
/// Body of a node's object-lock call (<see cref="InternalApi.ObjectLock"/>): with <see cref="SetRetention"/> the version's
/// retention becomes <see cref="RetentionMode"/> ("GOVERNANCE" / "COMPLIANCE") until <see cref="RetainUntil"/> (both null
/// = remove); with <see cref="LegalHold"/> set, the legal hold is turned on or off. <see cref="BypassGovernance"/> is set
/// only when the API service has authorized the caller for <c>s3:BypassGovernanceRetention</c>. The node answers the
/// version's new <see cref="ObjectInfo"/>, or 403 ObjectLocked when the engine refuses the change.
/// </summary>
public sealed record ObjectLockChange
{
    public bool SetRetention { get; init; }

    public string? RetentionMode { get; init; }

    public DateTimeOffset? RetainUntil { get; init; }

    public bool? LegalHold { get; init; }

    public bool BypassGovernance { get; init; }
}
