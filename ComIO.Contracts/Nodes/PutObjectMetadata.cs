namespace ComIO.Contracts.Nodes;

/// <summary>What the API service tells a node about an object it is about to stream in.</summary>
public sealed record PutObjectMetadata
{
    public string? ContentType { get; init; }
    public Dictionary<string, string> UserMetadata { get; init; } = [];
    public Dictionary<string, string> SystemMetadata { get; init; } = [];

    /// <summary>Base64 Content-MD5 the client sent, verified by the node (<c>BadDigest</c> on mismatch).</summary>
    public string? ContentMd5 { get; init; }

    /// <summary>CRC32, CRC32C, CRC64NVME, SHA1 or SHA256; computed by the node when set.</summary>
    public string? ChecksumAlgorithm { get; init; }

    /// <summary>Base64 checksum the client claims; verified when set.</summary>
    public string? ExpectedChecksum { get; init; }

    /// <summary>Conditional write: commit only if the current version still has this ETag (checked atomically with the commit; 412 otherwise).</summary>
    public string? IfMatch { get; init; }

    /// <summary>Conditional write: commit only if the key does not exist (checked atomically with the commit; 412 otherwise).</summary>
    public bool IfNoneMatch { get; init; }

    /// <summary>Tag set of the new object (PutObject, CopyObject, CreateMultipartUpload), already validated; empty for none.</summary>
    public List<ObjectTag> Tags { get; init; } = [];
    /// <summary>Object Lock retention mode ("GOVERNANCE" / "COMPLIANCE"), set together with <see cref="ObjectLockRetainUntil"/>; null = none.</summary>
    public string? ObjectLockMode { get; init; }

    /// <summary>Object Lock retain-until date (millisecond precision), set together with <see cref="ObjectLockMode"/>.</summary>
    public DateTimeOffset? ObjectLockRetainUntil { get; init; }

    /// <summary>Object Lock legal hold (ON = true).</summary>
    public bool ObjectLockLegalHold { get; init; }

    /// <summary>Set when the write must be replicated: committed as its outbox entry's payload.</summary>
    public ComIO.Contracts.Replication.ReplicationIntent? Replication { get; init; }

    /// <summary>Set when the write is another site's version applied as a replica.</summary>
    public ComIO.Contracts.Replication.ReplicaInfo? Replica { get; init; }
}
