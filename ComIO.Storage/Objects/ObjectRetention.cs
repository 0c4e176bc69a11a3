namespace ComIO.Storage;

/// <summary>
/// The Object Lock retention of one version: <see cref="Mode"/> until <see cref="RetainUntil"/> (stored with millisecond
/// precision). While the engine's clock is before <see cref="RetainUntil"/> the version cannot be deleted or overwritten
/// in place (GOVERNANCE: unless the caller bypasses governance). Immutable value.
/// </summary>
public readonly record struct ObjectRetention(RetentionMode Mode, DateTimeOffset RetainUntil)
{
    /// <summary>True while the retention protects the version at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => RetainUntil > now;
}
