namespace ComIO.Storage;

/// <summary>Parameters of <see cref="StorageEngine.PutPartAsync"/>. Immutable.</summary>
public sealed class PutPartRequest
{
    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string UploadId { get; init; }

    /// <summary>1 to 10000; anything else throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    public required int PartNumber { get; init; }

    /// <summary>Exact body length; the body stream is read to exactly this many bytes.</summary>
    public required long ContentLength { get; init; }

    /// <summary>Decoded Content-MD5; a mismatch yields <see cref="EngineStatus.BadDigest"/> and stores nothing.</summary>
    public byte[]? ExpectedMd5 { get; init; }

    /// <summary>Checksum to compute and store (default: the upload's algorithm); required when <see cref="ExpectedChecksum"/> is set.</summary>
    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Base64 checksum the client sent; a mismatch yields <see cref="EngineStatus.BadDigest"/>.</summary>
    public string? ExpectedChecksum { get; init; }

    /// <summary>
    /// When set (32 bytes), the data is encrypted at rest: AES-256-GCM per chunk under a key derived from this data key and
    /// a fresh random salt. The engine never stores the data key; the caller must keep it (wrapped) to read the data back.
    /// </summary>
    public byte[]? DataKey { get; init; }
}
