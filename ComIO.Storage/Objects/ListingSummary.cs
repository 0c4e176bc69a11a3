using System.Text;

namespace ComIO.Storage;

/// <summary>
/// Asks a listing to decode each record only as far as an S3 listing shows it: key, size, ETag, last-modified, checksum
/// algorithm, version identity, tags, lock and encryption state, and of the system metadata only the entry named
/// <see cref="SystemMetadataKey"/>. The content type, the checksum value, the user metadata and the other system entries
/// are left out of the records (their bytes are still covered by the record's CRC check).
/// Records whose kept entry equals the previous record's share one read-only map: the objects of a listing mostly carry
/// the same entry (an ACL written by the same account). Not thread-safe: one summary per listing.
/// </summary>
/// <param name="systemMetadataKey">The one system metadata entry kept when the object has it (null: none).</param>
public sealed class ListingSummary(string? systemMetadataKey)
{
    public string? SystemMetadataKey { get; } = systemMetadataKey;

    /// <summary><see cref="SystemMetadataKey"/> as stored (UTF-8), encoded once for every record of the listing.</summary>
    internal byte[]? SystemMetadataKeyUtf8 { get; } = systemMetadataKey is null ? null : Encoding.UTF8.GetBytes(systemMetadataKey);

    private byte[]? _lastValueUtf8;
    private IReadOnlyDictionary<string, string>? _lastKept;

    /// <summary>The system metadata of a record whose kept entry's value is <paramref name="valueUtf8"/>.</summary>
    internal IReadOnlyDictionary<string, string> Kept(ReadOnlySpan<byte> valueUtf8)
    {
        if (_lastKept is not null && valueUtf8.SequenceEqual(_lastValueUtf8))
        {
            return _lastKept;
        }

        var kept = new Dictionary<string, string>(1, StringComparer.Ordinal) { [SystemMetadataKey!] = Encoding.UTF8.GetString(valueUtf8) };
        _lastValueUtf8 = valueUtf8.ToArray();
        _lastKept = kept;
        return kept;
    }
}
