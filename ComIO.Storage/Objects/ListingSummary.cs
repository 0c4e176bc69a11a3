namespace ComIO.Storage;

/// <summary>
/// Asks a listing to decode each record only as far as an S3 listing shows it: key, size, ETag, last-modified, checksum
/// algorithm, version identity, tags, lock and encryption state, and of the system metadata only the entry named
/// <see cref="SystemMetadataKey"/>. The content type, the checksum value, the user metadata and the other system entries
/// are left out of the records (their bytes are still covered by the record's CRC check). Immutable.
/// </summary>
/// <param name="SystemMetadataKey">The one system metadata entry kept when the object has it (null: none).</param>
public sealed record ListingSummary(string? SystemMetadataKey);
