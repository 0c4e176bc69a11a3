using System.Text.Json.Serialization;

namespace ComIO.Contracts.Nodes;

/// <summary>An object version's metadata as the node reports it. <see cref="ETag"/> is lower-case hex without quotes.</summary>
/// <remarks>
/// Optional members are left out of the JSON when they hold their default (false, 0, null), which is also what a
/// reader gets for an absent member: most objects carry none of them, and this JSON crosses the wire on every GET,
/// HEAD and listing entry.
/// </remarks>
public sealed record ObjectInfo
{
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    public string VersionId { get; init; } = "null";

    /// <summary>True for a delete marker (no data: size 0, empty ETag).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsDeleteMarker { get; init; }

    /// <summary>True when this is the key's latest version (reported by version listings and version lookups).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsLatest { get; init; }

    /// <summary>
    /// Set on GET/info answers: the bucket's versioning has been enabled at some point (Enabled or Suspended), so S3
    /// reports even the null version's id ("null") on reads.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool InVersionedBucket { get; init; }
    public required long Size { get; init; }
    public required string ETag { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? ContentType { get; init; }
    /// <summary>User metadata (<c>x-amz-meta-*</c> names without the prefix). Shared, never mutated: empty by default.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = NoMetadata;

    /// <summary>System metadata (ACL, encryption, replication state…). Shared, never mutated: empty by default.</summary>
    public IReadOnlyDictionary<string, string> SystemMetadata { get; init; } = NoMetadata;
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? ChecksumAlgorithm { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Checksum { get; init; }

    /// <summary>Number of parts of an object completed from a multipart upload; 0 for an object written in one PUT.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PartCount { get; init; }

    /// <summary>The object's tag set in stored order; empty when the object has no tags.</summary>
    public IReadOnlyList<ObjectTag> Tags { get; init; } = [];
    /// <summary>Object Lock retention mode ("GOVERNANCE" / "COMPLIANCE"), set together with <see cref="ObjectLockRetainUntil"/>; null = none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? ObjectLockMode { get; init; }

    /// <summary>Object Lock retain-until date (millisecond precision), set together with <see cref="ObjectLockMode"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public DateTimeOffset? ObjectLockRetainUntil { get; init; }

    /// <summary>Object Lock legal hold (ON = true).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ObjectLockLegalHold { get; init; }

    /// <summary>
    /// The empty metadata map every info without metadata shares. Most listed and read objects carry none, and each
    /// info would otherwise hold two empty dictionaries of its own.
    /// </summary>
    public static IReadOnlyDictionary<string, string> NoMetadata { get; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;
}
