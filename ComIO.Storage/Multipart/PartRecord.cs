using ComIO.Storage.Objects;

namespace ComIO.Storage;

/// <summary>One uploaded part of a multipart upload (its data always lives in device extents). Immutable.</summary>
public sealed class PartRecord
{
    public required int PartNumber { get; init; }

    public required long Size { get; init; }

    /// <summary>Lower-case hex MD5 of the part, without quotes.</summary>
    public required string ETag { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Base64 checksum for <see cref="ChecksumAlgorithm"/>, if one was requested.</summary>
    public string? Checksum { get; init; }

    /// <summary>Where the part's bytes live and their chunk CRC32Cs (CRCs are empty when loaded for listing).</summary>
    internal DataSegment Data { get; init; } = DataSegment.Empty;
}
