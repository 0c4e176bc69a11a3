using System.Text;

namespace ComIO.Storage;

/// <summary>
/// Asks a listing to decode each record only as far as an S3 listing shows it: key, size, ETag, last-modified, checksum
/// algorithm, version identity, tags, lock and encryption state, and of the system metadata only the entry named
/// <see cref="SystemMetadataKey"/>. The content type, the checksum value, the user metadata and the other system entries
/// are left out of the records (their bytes are still covered by the record's CRC check). Immutable.
/// </summary>
/// <param name="systemMetadataKey">The one system metadata entry kept when the object has it (null: none).</param>
public sealed class ListingSummary(string? systemMetadataKey)
{
    public string? SystemMetadataKey { get; } = systemMetadataKey;

    /// <summary><see cref="SystemMetadataKey"/> as stored (UTF-8), encoded once for every record of the listing.</summary>
    internal byte[]? SystemMetadataKeyUtf8 { get; } = systemMetadataKey is null ? null : Encoding.UTF8.GetBytes(systemMetadataKey);
}
