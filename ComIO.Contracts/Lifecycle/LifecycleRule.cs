namespace ComIO.Contracts.Lifecycle;

/// <summary>
/// One validated lifecycle rule (see <see cref="LifecycleXml"/> for the invariants the parser enforces: at least one
/// action; Expiration has exactly one of Days / Date / ExpiredObjectDeleteMarker; day counts are positive; Date is a
/// midnight UTC). Immutable.
/// </summary>
public sealed record LifecycleRule
{
    /// <summary>The rule id (1–255 characters, unique in its configuration).</summary>
    public required string Id { get; init; }

    /// <summary>Whether the rule is applied (Status Enabled); disabled rules are kept but never applied.</summary>
    public required bool Enabled { get; init; }

    public required LifecycleFilter Filter { get; init; }

    /// <summary>True when the filter was given as a legacy rule-level <c>&lt;Prefix&gt;</c> rather than <c>&lt;Filter&gt;</c>.</summary>
    public bool LegacyPrefix { get; init; }

    /// <summary>Current versions expire this many days after creation (rounded up to the next midnight UTC).</summary>
    public int? ExpirationDays { get; init; }

    /// <summary>Current versions expire at this midnight UTC.</summary>
    public DateTimeOffset? ExpirationDate { get; init; }

    /// <summary>A delete marker that is the only version of its key is removed.</summary>
    public bool ExpiredObjectDeleteMarker { get; init; }

    /// <summary>Noncurrent versions expire this many days after they became noncurrent.</summary>
    public int? NoncurrentDays { get; init; }

    /// <summary>The newest this-many noncurrent versions are kept regardless of age.</summary>
    public int? NewerNoncurrentVersions { get; init; }

    /// <summary>Incomplete multipart uploads are aborted this many days after initiation.</summary>
    public int? AbortIncompleteMultipartUploadDays { get; init; }

    /// <summary>True if the rule expires current versions (Days or Date).</summary>
    public bool ExpiresCurrentVersions => ExpirationDays is not null || ExpirationDate is not null;

    /// <summary>
    /// When a current version created at <paramref name="created"/> expires under this rule, or null when the rule does
    /// not expire current versions. Days are counted as AWS does: creation + Days, rounded up to the next midnight UTC.
    /// </summary>
    public DateTimeOffset? CurrentExpiry(DateTimeOffset created) =>
        ExpirationDate ?? (ExpirationDays is { } days ? LifecycleClock.NextMidnightAfter(created, days) : null);
}
