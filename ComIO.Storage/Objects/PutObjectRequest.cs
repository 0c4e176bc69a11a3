namespace ComIO.Storage;

/// <summary>Parameters of <see cref="StorageEngine.PutObjectAsync"/>. Immutable.</summary>
public sealed class PutObjectRequest
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    /// <summary>Exact body length; the body stream is read to exactly this many bytes.</summary>
    public required long ContentLength { get; init; }

    public string? ContentType { get; init; }

    /// <summary>x-amz-meta-* names without the prefix, lower-case.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = Empty;

    /// <summary>content-encoding, content-disposition, cache-control, content-language, expires: stored verbatim.</summary>
    public IReadOnlyDictionary<string, string> SystemMetadata { get; init; } = Empty;

    /// <summary>
    /// Tag set of the new object (S3 object tagging), stored in this order. Must satisfy <see cref="ObjectTags"/>'s
    /// limits (at most 10 tags, unique keys, key 1–128 and value 0–256 characters); otherwise the engine throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = ObjectTags.None;

    /// <summary>Decoded Content-MD5; a mismatch yields <see cref="EngineStatus.BadDigest"/> and stores nothing.</summary>
    public byte[]? ExpectedMd5 { get; init; }

    /// <summary>Checksum to compute and store; required when <see cref="ExpectedChecksum"/> is set.</summary>
    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Base64 checksum the client sent; a mismatch yields <see cref="EngineStatus.BadDigest"/>.</summary>
    public string? ExpectedChecksum { get; init; }

    /// <summary>
    /// Conditional write (If-Match): commit only if the current version has this ETag (quotes optional), else
    /// <see cref="EngineStatus.PreconditionFailed"/>. Checked atomically with the commit.
    /// </summary>
    public string? IfMatch { get; init; }

    /// <summary>
    /// Conditional write (If-None-Match: *): commit only if the key does not exist, else
    /// <see cref="EngineStatus.PreconditionFailed"/>. Checked atomically with the commit, so of several concurrent
    /// creators exactly one succeeds.
    /// </summary>
    public bool IfNoneMatch { get; init; }

    /// <summary>
    /// When set, an <see cref="OutboxEntry"/> carrying this opaque payload is committed in the same atomic batch as the
    /// object (transactional outbox for replication).
    /// </summary>
    public byte[]? OutboxPayload { get; init; }

    /// <summary>
    /// When set, the body is another site's version applied as a replica (the bucket must have versioning Enabled,
    /// else <see cref="EngineStatus.InvalidBucketState"/>); applying a version that is already stored changes nothing
    /// and returns the stored version.
    /// </summary>
    public ReplicaVersion? Replica { get; init; }

    /// <summary>Object Lock retention of the new version (validated by the caller: a future date), or null.</summary>
    public ObjectRetention? Retention { get; init; }

    /// <summary>Object Lock legal hold of the new version.</summary>
    public bool LegalHold { get; init; }

    /// <summary>
    /// When set (32 bytes), the data is encrypted at rest: AES-256-GCM per chunk under a key derived from this data key and
    /// a fresh random salt. The engine never stores the data key; the caller must keep it (wrapped) to read the data back.
    /// </summary>
    public byte[]? DataKey { get; init; }

    /// <summary>
    /// With <see cref="DataKey"/>: the ETag is not the MD5 of the plaintext (as S3 for SSE-C and SSE-KMS) but the first
    /// 16 bytes of HMAC-SHA256(data key, MD5), so it reveals nothing about the content to whoever lacks the key.
    /// Content-MD5 is still verified against the real MD5.
    /// </summary>
    public bool OpaqueETag { get; init; }
}
