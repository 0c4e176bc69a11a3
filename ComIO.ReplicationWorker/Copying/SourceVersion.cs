namespace ComIO.ReplicationWorker.Copying;

/// <summary>
/// What the source site says about one object version: everything the destination must store besides the bytes.
/// <see cref="ContentLength"/> is the whole object's size (also when read with a range). <see cref="Metadata"/> names
/// are without the <c>x-amz-meta-</c> prefix. <see cref="Expires"/> is the raw header value.
/// </summary>
public sealed record SourceVersion
{
    public required string VersionId { get; init; }
    public required long ContentLength { get; init; }
    public required string ETag { get; init; }
    public string? ContentType { get; init; }
    public string? CacheControl { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentLanguage { get; init; }
    public string? Expires { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];
    public int TagCount { get; init; }

    /// <summary><c>GOVERNANCE</c> or <c>COMPLIANCE</c>, with <see cref="ObjectLockRetainUntil"/>; null without retention.</summary>
    public string? ObjectLockMode { get; init; }

    public DateTimeOffset? ObjectLockRetainUntil { get; init; }

    /// <summary><c>ON</c> or <c>OFF</c>; null when the source reports none.</summary>
    public string? ObjectLockLegalHold { get; init; }

    /// <summary>
    /// The source's server-side encryption (<c>AES256</c> or <c>aws:kms</c>), asked of the destination too: it
    /// re-encrypts the replica with its own keys (for KMS, its default key). Null for data stored in the clear.
    /// </summary>
    public string? ServerSideEncryption { get; init; }
}
