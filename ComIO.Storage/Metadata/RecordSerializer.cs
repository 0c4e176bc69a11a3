using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using ComIO.Storage.Allocation;
using ComIO.Storage.Checksums;
using ComIO.Storage.Encryption;
using ComIO.Storage.Objects;

namespace ComIO.Storage.Metadata;

/// <summary>
/// Versioned little-endian binary encoding of metadata values. Every value ends with a CRC32C of the preceding bytes.
/// Object record v1:
/// <code>
/// u8 version(1) | i64 size | i64 last-modified (Unix ms) | str etag | str? content-type
/// | u8 checksum algorithm (0 none, n = enum+1) | str? checksum | map user | map system
/// | i32 chunk size | i32 n, n × (i64 offset, i64 length) extents | i32 n, n × u32 chunk CRCs
/// | i32 inline length (-1 none) + bytes | u32 crc32c
/// str = i32 byte length (-1 = null) + UTF-8; map = i32 count + count × (str name, str value)
/// </code>
/// Object record v2 (multipart objects: one segment per part, each with its own chunk grid):
/// <code>
/// u8 version(2) | i64 size | i64 last-modified (Unix ms) | str etag | str? content-type
/// | u8 checksum algorithm | str? checksum | map user | map system
/// | i32 segment count n, n × (i64 length | i32 chunk size | i32 e, e × (i64 offset, i64 length) extents | i32 c, c × u32 chunk CRCs)
/// | u32 crc32c
/// </code>
/// Optional trailing sections (object records v1 and v2, multipart upload v1), written just before the CRC only when
/// non-empty, so a record without them is byte-identical to the original format:
/// <code>
/// u8 section id | section body ...
/// section 'T' (0x54), tag set: i32 n (1..10), n × (str key, str value), in the order given
/// section 'V' (0x56), version (object records only, written once the bucket has been versioned): u8 flags (bit 0 =
///     the null version; other bits reserved, must be 0) | str version slot id (32 chars, see VersionIds)
/// </code>
/// Delete marker v3 (a version without data; always has a 'V' section):
/// <code>
/// u8 version(3) | i64 last-modified (Unix ms) | [sections] | u32 crc32c
/// </code>
/// Object Lock sections (object records v1/v2 and multipart upload v1; never on delete markers), after 'T' and 'V':
/// <code>
/// section 'R' (0x52), retention: u8 mode (1 GOVERNANCE, 2 COMPLIANCE) | i64 retain-until (Unix ms)
/// section 'L' (0x4C), legal hold: u8 status (1 = ON; OFF is written as no section)
/// </code>
/// Encryption section (object records v1/v2 and part records v1; only for data encrypted at rest), written last:
/// <code>
/// section 'E' (0x45): u8 scheme (1 = AES-256-GCM per chunk) | i32 s segments (1 for v1 and parts, the segment count for
///     v2) | s × (u8 present (0/1) | present: 16 bytes salt | i32 n | n × 16 bytes chunk tags)
/// </code>
/// A reader that finds bytes after the fixed fields reads sections until the end; an unknown section id is
/// <see cref="InvalidDataException"/> (never silently dropped).
/// Multipart upload v1: <c>u8 version(1) | i64 initiated (Unix ms) | str? content-type | u8 checksum algorithm | map user
/// | map system | [sections] | u32 crc32c</c>.
/// Part record v1: <c>u8 version(1) | i64 size | i64 last-modified (Unix ms) | str etag | u8 checksum algorithm | str? checksum
/// | i32 chunk size | i32 e, e × (i64 offset, i64 length) extents | i32 c, c × u32 chunk CRCs | u32 crc32c</c>.
/// Bucket record v1: <c>u8 version(1) | i64 created (Unix ms) | u32 crc32c</c>.
/// Outbox entry v1: <c>u8 version(1) | u8 operation | str bucket | str key | str? etag | i64 created (Unix ms)
/// | i32 payload length + bytes | u32 crc32c</c>. Outbox entry v2 (written when the entry names a version id):
/// <c>u8 version(2) | u8 operation | str bucket | str key | str? etag | i64 created | str version id | u8 flags (bit 0 =
/// delete marker) | i32 payload length + bytes | u32 crc32c</c>.
/// Device identity v1: <c>u8 version(1) | 16 bytes device UUID | 16 bytes metadata store UUID | u32 crc32c</c>.
/// </summary>
internal static class RecordSerializer
{
    private const byte ObjectVersion = 1;
    private const byte SegmentedObjectVersion = 2;
    private const byte UploadVersion = 1;
    private const byte PartVersion = 1;
    private const byte BucketVersion = 1;
    private const byte DocumentVersion = 1;
    private const byte IdentityVersion = 1;
    private const byte OutboxVersion = 1;
    private const byte VersionedOutboxVersion = 2;
    private const byte DeleteMarkerVersion = 3;
    private const byte TagsSection = (byte)'T';
    private const byte VersionSection = (byte)'V';
    private const byte NullVersionFlag = 1;
    private const byte RetentionSection = (byte)'R';
    private const byte LegalHoldSection = (byte)'L';
    private const byte LegalHoldOn = 1;
    private const byte EncryptionSection = (byte)'E';

    /// <summary>Delete markers only (objects keep it in their system metadata): the marker's replication status.</summary>
    private const byte ReplicationSection = (byte)'P';

    private const int InitialWriterCapacity = 8 * 1024;

    /// <summary>Larger writers (records of many-part objects, large inline data) are not kept per thread.</summary>
    private const int MaxSpareWriterCapacity = 256 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _spareWriter;

    /// <summary>The metadata of a summary: read-only, so one instance serves every record.</summary>
    private static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>().AsReadOnly();

    /// <summary>Encodes an object record: v2 for multipart (segmented) records, otherwise v1.</summary>
    public static byte[] SerializeObject(ObjectRecord record)
    {
        if (record.IsDeleteMarker)
        {
            if (record.VersionSlot is null)
            {
                throw new ArgumentException("A delete marker needs a version slot.", nameof(record));
            }

            var marker = RentWriter();
            WriteByte(marker, DeleteMarkerVersion);
            WriteInt64(marker, record.LastModified.ToUnixTimeMilliseconds());
            WriteVersionSection(marker, record);
            if (record.SystemMetadata.GetValueOrDefault(ReplicationStatus.MetadataName) is { } markerStatus)
            {
                WriteByte(marker, ReplicationSection);
                WriteString(marker, markerStatus);
            }

            return Seal(marker);
        }

        if (record.IsSegmented)
        {
            return SerializeSegmentedObject(record);
        }

        var writer = RentWriter();
        WriteByte(writer, ObjectVersion);
        WriteInt64(writer, record.Size);
        WriteInt64(writer, record.LastModified.ToUnixTimeMilliseconds());
        WriteString(writer, record.ETag);
        WriteString(writer, record.ContentType);
        WriteByte(writer, record.ChecksumAlgorithm is { } algorithm ? (byte)((int)algorithm + 1) : (byte)0);
        WriteString(writer, record.Checksum);
        WriteMap(writer, record.UserMetadata);
        WriteMap(writer, record.SystemMetadata);
        WriteLayout(writer, record.ChunkSize, record.Extents, record.ChunkCrcs);
        if (record.InlineData is null)
        {
            WriteInt32(writer, -1);
        }
        else
        {
            WriteInt32(writer, record.InlineData.Length);
            writer.Write(record.InlineData);
        }

        WriteTagsSection(writer, record.Tags);
        WriteVersionSection(writer, record);
        WriteLockSections(writer, record.Retention, record.LegalHold);
        WriteEncryptionSection(writer, record.Encryption is null ? [] : [record.Encryption]);
        return Seal(writer);
    }

    /// <summary>Decodes an object record. With <paramref name="includeData"/> false, chunk CRCs and inline data are skipped (listing).</summary>
    public static ObjectRecord DeserializeObject(string bucket, string key, ReadOnlySpan<byte> value, bool includeData = true) =>
        DeserializeObject(bucket, key, value, includeData, summary: null);

    /// <summary>
    /// Decodes an object record as <paramref name="summary"/> asks (see <see cref="ListingSummary"/>), or, when it is
    /// null, as <see cref="DeserializeObject(string, string, ReadOnlySpan{byte}, bool)"/> without data.
    /// </summary>
    public static ObjectRecord DeserializeListed(string bucket, string key, ReadOnlySpan<byte> value, ListingSummary? summary) =>
        DeserializeObject(bucket, key, value, includeData: false, summary);

    private static ObjectRecord DeserializeObject(string bucket, string key, ReadOnlySpan<byte> value, bool includeData, ListingSummary? summary)
    {
        var reader = new Reader(Verify(value, "object record"));
        var version = reader.ReadByte();
        if (version == SegmentedObjectVersion)
        {
            return DeserializeSegmentedObject(bucket, key, ref reader, includeData, summary);
        }

        if (version == DeleteMarkerVersion)
        {
            var modified = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
            var markerSections = ReadSections(ref reader);
            if (markerSections.Slot is null || markerSections.Tags.Count > 0 || markerSections.Retention is not null || markerSections.LegalHold)
            {
                throw new InvalidDataException($"Delete marker record of '{bucket}/{key}' has no version section, or has tags or a lock.");
            }

            return new ObjectRecord
            {
                Bucket = bucket,
                Key = key,
                Size = 0,
                ETag = string.Empty,
                LastModified = modified,
                IsDeleteMarker = true,
                VersionSlot = markerSections.Slot,
                IsNullVersion = markerSections.IsNull,
                SystemMetadata = markerSections.ReplicationStatus is { } markerStatus
                    ? new Dictionary<string, string>(StringComparer.Ordinal) { [ReplicationStatus.MetadataName] = markerStatus }
                    : new Dictionary<string, string>(StringComparer.Ordinal),
            };
        }

        if (version != ObjectVersion)
        {
            throw new InvalidDataException($"Unsupported object record version {version} for '{bucket}/{key}'.");
        }

        var size = reader.ReadInt64();
        var lastModified = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var etag = reader.ReadString() ?? string.Empty;
        var contentType = ReadUnlessSummary(ref reader, summary);
        var algorithmCode = reader.ReadByte();
        var checksum = ReadUnlessSummary(ref reader, summary);
        var (user, system) = ReadMetadataMaps(ref reader, summary);
        var (chunkSize, extents, _, crcs, _) = ReadLayout(ref reader, includeData);
        byte[]? inline = null;
        var inlineLength = reader.ReadInt32();
        if (inlineLength >= 0)
        {
            var bytes = reader.ReadBytes(inlineLength);
            inline = includeData ? bytes.ToArray() : [];
        }

        var sections = ReadSections(ref reader, includeData);
        if (sections.Encryption is { } encrypted && (encrypted.Length != 1
            || (includeData && encrypted[0] is { } only && only.Tags.Length != SegmentEncryption.TagLength * Math.Max(1, crcs.Length))))
        {
            throw new InvalidDataException($"Object record of '{bucket}/{key}' has an inconsistent encryption section.");
        }

        return new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            VersionSlot = sections.Slot,
            IsNullVersion = sections.IsNull,
            Encryption = sections.Encryption?[0],
            Size = size,
            ETag = etag,
            LastModified = lastModified,
            ContentType = contentType,
            ChecksumAlgorithm = algorithmCode == 0 ? null : (ChecksumAlgorithm)(algorithmCode - 1),
            Checksum = checksum,
            UserMetadata = user,
            SystemMetadata = system,
            ChunkSize = chunkSize,
            Extents = extents,
            ChunkCrcs = crcs,
            InlineData = inline,
            CarriesData = includeData,
            Tags = sections.Tags,
            Retention = sections.Retention,
            LegalHold = sections.LegalHold,
        };
    }

    private static byte[] SerializeSegmentedObject(ObjectRecord record)
    {
        var segments = record.Segments;
        var writer = RentWriter();
        WriteByte(writer, SegmentedObjectVersion);
        WriteInt64(writer, record.Size);
        WriteInt64(writer, record.LastModified.ToUnixTimeMilliseconds());
        WriteString(writer, record.ETag);
        WriteString(writer, record.ContentType);
        WriteAlgorithm(writer, record.ChecksumAlgorithm);
        WriteString(writer, record.Checksum);
        WriteMap(writer, record.UserMetadata);
        WriteMap(writer, record.SystemMetadata);
        WriteInt32(writer, segments.Length);
        foreach (var segment in segments)
        {
            WriteInt64(writer, segment.Length);
            WriteSegmentLayout(writer, segment);
        }

        WriteTagsSection(writer, record.Tags);
        WriteVersionSection(writer, record);
        WriteLockSections(writer, record.Retention, record.LegalHold);
        WriteEncryptionSection(writer, Array.Exists(segments, static s => s.Encryption is not null) ? [.. segments.Select(static s => s.Encryption)] : []);
        return Seal(writer);
    }

    private static ObjectRecord DeserializeSegmentedObject(string bucket, string key, ref Reader reader, bool includeData, ListingSummary? summary)
    {
        var size = reader.ReadInt64();
        var lastModified = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var etag = reader.ReadString() ?? string.Empty;
        var contentType = ReadUnlessSummary(ref reader, summary);
        var algorithm = ReadAlgorithm(ref reader);
        var checksum = ReadUnlessSummary(ref reader, summary);
        var (user, system) = ReadMetadataMaps(ref reader, summary);
        var segmentCount = reader.ReadCount(20);
        var segments = new DataSegment[segmentCount];
        var extents = new List<Extent>(segmentCount);
        long total = 0;
        for (var i = 0; i < segmentCount; i++)
        {
            var length = reader.ReadInt64();
            segments[i] = ReadSegmentLayout(ref reader, length, includeData);
            extents.AddRange(segments[i].Extents);
            total += length;
        }

        if (total != size)
        {
            throw new InvalidDataException($"Object record of '{bucket}/{key}' has segments totalling {total} bytes but size {size}.");
        }

        var sections = ReadSections(ref reader, includeData);
        if (sections.Encryption is { } encrypted)
        {
            if (encrypted.Length != segmentCount)
            {
                throw new InvalidDataException($"Object record of '{bucket}/{key}' has an encryption section for {encrypted.Length} of {segmentCount} segments.");
            }

            for (var i = 0; i < segmentCount; i++)
            {
                segments[i] = WithEncryption(segments[i], encrypted[i], includeData);
            }
        }

        return new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            VersionSlot = sections.Slot,
            IsNullVersion = sections.IsNull,
            Size = size,
            ETag = etag,
            LastModified = lastModified,
            ContentType = contentType,
            ChecksumAlgorithm = algorithm,
            Checksum = checksum,
            UserMetadata = user,
            SystemMetadata = system,
            PartCount = segmentCount,
            Extents = [.. extents],
            Segments = segments,
            CarriesData = includeData,
            Tags = sections.Tags,
            Retention = sections.Retention,
            LegalHold = sections.LegalHold,
        };
    }

    /// <summary>A string field a summary leaves out (null then; its bytes are stepped over).</summary>
    private static string? ReadUnlessSummary(ref Reader reader, ListingSummary? summary)
    {
        if (summary is null)
        {
            return reader.ReadString();
        }

        reader.SkipString();
        return null;
    }

    /// <summary>The user and system metadata maps; a summary keeps only its one system entry and no user metadata.</summary>
    private static (IReadOnlyDictionary<string, string> User, IReadOnlyDictionary<string, string> System) ReadMetadataMaps(ref Reader reader, ListingSummary? summary)
    {
        if (summary is null)
        {
            return (reader.ReadMap(), reader.ReadMap());
        }

        reader.SkipMap();
        return (NoMetadata, reader.TryReadMapEntry(summary.SystemMetadataKeyUtf8, out var kept) ? summary.Kept(kept) : NoMetadata);
    }

    public static byte[] SerializeUpload(MultipartUpload upload)
    {
        var writer = RentWriter();
        WriteByte(writer, UploadVersion);
        WriteInt64(writer, upload.Initiated.ToUnixTimeMilliseconds());
        WriteString(writer, upload.ContentType);
        WriteAlgorithm(writer, upload.ChecksumAlgorithm);
        WriteMap(writer, upload.UserMetadata);
        WriteMap(writer, upload.SystemMetadata);
        WriteTagsSection(writer, upload.Tags);
        WriteLockSections(writer, upload.Retention, upload.LegalHold);
        return Seal(writer);
    }

    public static MultipartUpload DeserializeUpload(string bucket, string key, string uploadId, ReadOnlySpan<byte> value)
    {
        var reader = new Reader(Verify(value, "multipart upload record"));
        var version = reader.ReadByte();
        if (version != UploadVersion)
        {
            throw new InvalidDataException($"Unsupported multipart upload record version {version} for '{bucket}/{key}' upload {uploadId}.");
        }

        var initiated = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var contentType = reader.ReadString();
        var algorithm = ReadAlgorithm(ref reader);
        var user = reader.ReadMap();
        var system = reader.ReadMap();
        var sections = ReadSections(ref reader);
        if (sections.Slot is not null)
        {
            throw new InvalidDataException($"Multipart upload record of '{bucket}/{key}' has a version section.");
        }

        var tags = sections.Tags;
        return new MultipartUpload
        {
            Bucket = bucket,
            Key = key,
            UploadId = uploadId,
            Initiated = initiated,
            ContentType = contentType,
            ChecksumAlgorithm = algorithm,
            UserMetadata = user,
            SystemMetadata = system,
            Tags = tags,
            Retention = sections.Retention,
            LegalHold = sections.LegalHold,
        };
    }

    public static byte[] SerializePart(PartRecord part)
    {
        var writer = RentWriter();
        WriteByte(writer, PartVersion);
        WriteInt64(writer, part.Size);
        WriteInt64(writer, part.LastModified.ToUnixTimeMilliseconds());
        WriteString(writer, part.ETag);
        WriteAlgorithm(writer, part.ChecksumAlgorithm);
        WriteString(writer, part.Checksum);
        WriteSegmentLayout(writer, part.Data);
        WriteEncryptionSection(writer, part.Data.Encryption is null ? [] : [part.Data.Encryption]);
        return Seal(writer);
    }

    /// <summary>Decodes a part record. With <paramref name="includeData"/> false, chunk CRCs are skipped (listing).</summary>
    public static PartRecord DeserializePart(int partNumber, ReadOnlySpan<byte> value, bool includeData = true)
    {
        var reader = new Reader(Verify(value, "part record"));
        var version = reader.ReadByte();
        if (version != PartVersion)
        {
            throw new InvalidDataException($"Unsupported part record version {version} for part {partNumber}.");
        }

        var size = reader.ReadInt64();
        var lastModified = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        var etag = reader.ReadString() ?? string.Empty;
        var algorithm = ReadAlgorithm(ref reader);
        var checksum = reader.ReadString();
        var data = ReadSegmentLayout(ref reader, size, includeData);
        if (reader.Remaining > 0)
        {
            var sections = ReadSections(ref reader, includeData);
            if (sections.Encryption is not { Length: 1 } encrypted || sections.Tags.Count > 0 || sections.Slot is not null || sections.Retention is not null || sections.LegalHold)
            {
                throw new InvalidDataException($"Part record {partNumber} has unexpected sections.");
            }

            data = WithEncryption(data, encrypted[0], includeData);
        }

        return new PartRecord
        {
            PartNumber = partNumber,
            Size = size,
            ETag = etag,
            LastModified = lastModified,
            ChecksumAlgorithm = algorithm,
            Checksum = checksum,
            Data = data,
        };
    }

    /// <summary>Writes the tag-set section when <paramref name="tags"/> is non-empty (nothing otherwise: the original format).</summary>
    private static void WriteTagsSection(ArrayBufferWriter<byte> writer, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        if (tags.Count == 0)
        {
            return;
        }

        WriteByte(writer, TagsSection);
        WriteInt32(writer, tags.Count);
        foreach (var (key, value) in tags)
        {
            WriteString(writer, key);
            WriteString(writer, value);
        }
    }

    /// <summary>Writes the version section when the record has a version slot (nothing otherwise: the original format).</summary>
    private static void WriteVersionSection(ArrayBufferWriter<byte> writer, ObjectRecord record)
    {
        if (record.VersionSlot is null)
        {
            return;
        }

        WriteByte(writer, VersionSection);
        WriteByte(writer, record.IsNullVersion ? NullVersionFlag : (byte)0);
        WriteString(writer, record.VersionSlot);
    }

    /// <summary>Writes the Object Lock sections: 'R' when a retention is set, 'L' when the legal hold is on (nothing otherwise).</summary>
    private static void WriteLockSections(ArrayBufferWriter<byte> writer, ObjectRetention? retention, bool legalHold)
    {
        if (retention is { } value)
        {
            if (value.Mode is not (RetentionMode.Governance or RetentionMode.Compliance))
            {
                throw new ArgumentOutOfRangeException(nameof(retention), value.Mode, "Unknown retention mode.");
            }

            WriteByte(writer, RetentionSection);
            WriteByte(writer, (byte)value.Mode);
            WriteInt64(writer, value.RetainUntil.ToUnixTimeMilliseconds());
        }

        if (legalHold)
        {
            WriteByte(writer, LegalHoldSection);
            WriteByte(writer, LegalHoldOn);
        }
    }

    /// <summary>
    /// Reads the optional trailing sections up to the end of the record: the tag set (empty if absent), the version
    /// slot (null if absent), the retention (null if absent) and the legal hold (false if absent). Each section may
    /// appear at most once; an unknown or repeated one is <see cref="InvalidDataException"/>.
    /// </summary>
    private static RecordSections ReadSections(ref Reader reader, bool includeData = true)
    {
        SegmentEncryption?[]? encryption = null;
        IReadOnlyList<KeyValuePair<string, string>> tags = ObjectTags.None;
        string? slot = null;
        var isNull = false;
        ObjectRetention? retention = null;
        var legalHold = false;
        string? replicationStatus = null;
        var seen = 0;
        while (reader.Remaining > 0)
        {
            var section = reader.ReadByte();
            var bit = section switch { TagsSection => 1, VersionSection => 2, RetentionSection => 4, LegalHoldSection => 8, ReplicationSection => 16, EncryptionSection => 32, _ => 0 };
            if ((seen & bit) != 0)
            {
                throw new InvalidDataException($"Repeated metadata record section 0x{section:X2}.");
            }

            seen |= bit;

            switch (section)
            {
                case VersionSection:
                    var flags = reader.ReadByte();
                    slot = reader.ReadString();
                    if ((flags & ~NullVersionFlag) != 0 || slot is null || !VersionIds.IsWellFormed(slot) || slot == VersionIds.Null)
                    {
                        throw new InvalidDataException($"Invalid version section (flags 0x{flags:X2}) in metadata record.");
                    }

                    isNull = (flags & NullVersionFlag) != 0;
                    break;

                case RetentionSection:
                    var mode = reader.ReadByte();
                    var until = reader.ReadInt64();
                    if (mode is not ((byte)RetentionMode.Governance or (byte)RetentionMode.Compliance)
                        || until < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || until > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                    {
                        throw new InvalidDataException($"Invalid retention section (mode {mode}) in metadata record.");
                    }

                    retention = new ObjectRetention((RetentionMode)mode, DateTimeOffset.FromUnixTimeMilliseconds(until));
                    break;

                case LegalHoldSection:
                    if (reader.ReadByte() != LegalHoldOn)
                    {
                        throw new InvalidDataException("Invalid legal hold section in metadata record.");
                    }

                    legalHold = true;
                    break;

                case TagsSection:
                    var count = reader.ReadCount(8);
                    if (count is 0 or > ObjectTags.MaxTags)
                    {
                        throw new InvalidDataException($"Invalid tag count {count} in metadata record.");
                    }

                    var list = new KeyValuePair<string, string>[count];
                    for (var i = 0; i < count; i++)
                    {
                        list[i] = new(reader.ReadString() ?? string.Empty, reader.ReadString() ?? string.Empty);
                    }

                    tags = list;
                    break;

                case ReplicationSection:
                    replicationStatus = reader.ReadString();
                    if (replicationStatus is not (ReplicationStatus.Pending or ReplicationStatus.Completed or ReplicationStatus.Failed or ReplicationStatus.Replica))
                    {
                        throw new InvalidDataException("Invalid replication section in metadata record.");
                    }

                    break;

                case EncryptionSection:
                    encryption = ReadEncryption(ref reader, includeData);
                    break;

                default:
                    throw new InvalidDataException($"Unknown metadata record section 0x{section:X2}.");
            }
        }

        return new RecordSections(tags, slot, isNull, retention, legalHold, replicationStatus, encryption);
    }

    private readonly record struct RecordSections(
        IReadOnlyList<KeyValuePair<string, string>> Tags, string? Slot, bool IsNull, ObjectRetention? Retention, bool LegalHold, string? ReplicationStatus = null, SegmentEncryption?[]? Encryption = null);

    /// <summary>Writes the encryption section when any segment is encrypted (nothing for data stored in the clear).</summary>
    private static void WriteEncryptionSection(ArrayBufferWriter<byte> writer, SegmentEncryption?[] segments)
    {
        if (segments.Length == 0)
        {
            return;
        }

        WriteByte(writer, EncryptionSection);
        WriteByte(writer, SegmentEncryption.SchemeAesGcmChunked);
        WriteInt32(writer, segments.Length);
        foreach (var segment in segments)
        {
            if (segment is null)
            {
                WriteByte(writer, 0);
                continue;
            }

            if (segment.Salt.Length != SegmentEncryption.SaltLength || segment.Tags.Length % SegmentEncryption.TagLength != 0)
            {
                throw new ArgumentException("Malformed segment encryption.", nameof(segments));
            }

            WriteByte(writer, 1);
            writer.Write(segment.Salt);
            WriteInt32(writer, segment.Tags.Length / SegmentEncryption.TagLength);
            writer.Write(segment.Tags);
        }
    }

    private static SegmentEncryption?[] ReadEncryption(ref Reader reader, bool includeData)
    {
        var scheme = reader.ReadByte();
        if (scheme != SegmentEncryption.SchemeAesGcmChunked)
        {
            throw new InvalidDataException($"Unknown encryption scheme {scheme} in metadata record.");
        }

        var count = reader.ReadCount(1);
        var segments = new SegmentEncryption?[count];
        for (var i = 0; i < count; i++)
        {
            var present = reader.ReadByte();
            if (present == 0)
            {
                continue;
            }

            if (present != 1)
            {
                throw new InvalidDataException("Invalid encryption section in metadata record.");
            }

            var salt = reader.ReadBytes(SegmentEncryption.SaltLength).ToArray();
            var tags = reader.ReadBytes(reader.ReadCount(SegmentEncryption.TagLength) * SegmentEncryption.TagLength);
            segments[i] = new SegmentEncryption { Salt = salt, Tags = includeData ? tags.ToArray() : [] };
        }

        return segments;
    }

    private static DataSegment WithEncryption(DataSegment segment, SegmentEncryption? encryption, bool includeData)
    {
        if (encryption is null)
        {
            return segment;
        }

        if (includeData && encryption.Tags.Length != SegmentEncryption.TagLength * segment.ChunkCount)
        {
            throw new InvalidDataException($"Encrypted segment has {encryption.Tags.Length / SegmentEncryption.TagLength} tags for {segment.ChunkCount} chunks.");
        }

        return new DataSegment { Length = segment.Length, ChunkSize = segment.ChunkSize, Extents = segment.Extents, ChunkCrcs = segment.ChunkCrcs, Encryption = encryption };
    }

    private static void WriteAlgorithm(ArrayBufferWriter<byte> writer, ChecksumAlgorithm? algorithm) =>
        WriteByte(writer, algorithm is { } value ? (byte)((int)value + 1) : (byte)0);

    private static ChecksumAlgorithm? ReadAlgorithm(ref Reader reader)
    {
        var code = reader.ReadByte();
        return code == 0 ? null : (ChecksumAlgorithm)(code - 1);
    }

    /// <summary><c>i32 chunk size | i32 e, e × (i64 offset, i64 length) | i32 c, c × u32 CRC</c>.</summary>
    private static void WriteSegmentLayout(ArrayBufferWriter<byte> writer, DataSegment segment) =>
        WriteLayout(writer, segment.ChunkSize, segment.Extents, segment.ChunkCrcs);

    /// <summary>The data layout shared by v1 object records and segments: chunk size, extents, chunk CRCs.</summary>
    private static void WriteLayout(ArrayBufferWriter<byte> writer, int chunkSize, Extent[] extents, uint[] chunkCrcs)
    {
        WriteInt32(writer, chunkSize);
        WriteInt32(writer, extents.Length);
        foreach (var extent in extents)
        {
            WriteInt64(writer, extent.Offset);
            WriteInt64(writer, extent.Length);
        }

        WriteInt32(writer, chunkCrcs.Length);
        var crcSpan = writer.GetSpan(chunkCrcs.Length * 4);
        for (var i = 0; i < chunkCrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(crcSpan[(i * 4)..], chunkCrcs[i]);
        }

        writer.Advance(chunkCrcs.Length * 4);
    }

    /// <summary>
    /// Reads what <see cref="WriteLayout"/> wrote, unchecked; CRCs are kept only with <paramref name="includeData"/>
    /// (the count is still returned).
    /// </summary>
    private static (int ChunkSize, Extent[] Extents, long ExtentBytes, uint[] Crcs, int CrcCount) ReadLayout(ref Reader reader, bool includeData)
    {
        var chunkSize = reader.ReadInt32();
        var extentCount = reader.ReadCount(16);
        var extents = new Extent[extentCount];
        long extentBytes = 0;
        for (var i = 0; i < extentCount; i++)
        {
            extents[i] = new Extent(reader.ReadInt64(), reader.ReadInt64());
            extentBytes += extents[i].Length;
        }

        var crcCount = reader.ReadCount(4);
        uint[] crcs = includeData ? new uint[crcCount] : [];
        for (var i = 0; i < crcCount; i++)
        {
            var crc = reader.ReadUInt32();
            if (includeData)
            {
                crcs[i] = crc;
            }
        }

        return (chunkSize, extents, extentBytes, crcs, crcCount);
    }

    private static DataSegment ReadSegmentLayout(ref Reader reader, long length, bool includeData)
    {
        var (chunkSize, extents, extentBytes, crcs, crcCount) = ReadLayout(ref reader, includeData);
        if (length < 0 || extentBytes < length || (length > 0 && (chunkSize <= 0 || crcCount != (length + chunkSize - 1) / chunkSize)) || (length == 0 && crcCount != 0))
        {
            throw new InvalidDataException($"Inconsistent data segment layout (length {length}, chunk size {chunkSize}, {crcCount} CRCs, {extentBytes} extent bytes).");
        }

        return new DataSegment { Length = length, ChunkSize = chunkSize, Extents = extents, ChunkCrcs = crcs };
    }

    /// <summary>Document record v1 (bucket settings, system documents): <c>u8 version(1) | payload | u32 crc32c</c>.</summary>
    public static byte[] SerializeDocument(ReadOnlySpan<byte> payload)
    {
        var writer = RentWriter();
        WriteByte(writer, DocumentVersion);
        writer.Write(payload);
        return Seal(writer);
    }

    public static byte[] DeserializeDocument(ReadOnlySpan<byte> value, string what)
    {
        var body = Verify(value, what);
        if (body[0] != DocumentVersion)
        {
            throw new InvalidDataException($"Unsupported document record version {body[0]} for {what}.");
        }

        return body[1..].ToArray();
    }

    public static byte[] SerializeBucket(BucketRecord bucket)
    {
        var writer = RentWriter();
        WriteByte(writer, BucketVersion);
        WriteInt64(writer, bucket.CreatedAt.ToUnixTimeMilliseconds());
        return Seal(writer);
    }

    public static BucketRecord DeserializeBucket(string name, ReadOnlySpan<byte> value)
    {
        var reader = new Reader(Verify(value, "bucket record"));
        var version = reader.ReadByte();
        if (version != BucketVersion)
        {
            throw new InvalidDataException($"Unsupported bucket record version {version} for '{name}'.");
        }

        return new BucketRecord { Name = name, CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64()) };
    }

    public static byte[] SerializeIdentity(Guid deviceId, Guid storeId)
    {
        var writer = RentWriter();
        WriteByte(writer, IdentityVersion);
        deviceId.TryWriteBytes(writer.GetSpan(16));
        writer.Advance(16);
        storeId.TryWriteBytes(writer.GetSpan(16));
        writer.Advance(16);
        return Seal(writer);
    }

    public static (Guid DeviceId, Guid StoreId) DeserializeIdentity(ReadOnlySpan<byte> value)
    {
        var reader = new Reader(Verify(value, "device identity"));
        var version = reader.ReadByte();
        if (version != IdentityVersion)
        {
            throw new InvalidDataException($"Unsupported device identity version {version}.");
        }

        var deviceId = new Guid(reader.ReadBytes(16));
        return (deviceId, new Guid(reader.ReadBytes(16)));
    }

    public static byte[] SerializeOutbox(OutboxEntry entry)
    {
        var writer = RentWriter();
        WriteByte(writer, entry.VersionId is null ? OutboxVersion : VersionedOutboxVersion);
        WriteByte(writer, (byte)entry.Operation);
        WriteString(writer, entry.Bucket);
        WriteString(writer, entry.Key);
        WriteString(writer, entry.ETag);
        WriteInt64(writer, entry.CreatedAt.ToUnixTimeMilliseconds());
        if (entry.VersionId is not null)
        {
            WriteString(writer, entry.VersionId);
            WriteByte(writer, entry.IsDeleteMarker ? (byte)1 : (byte)0);
        }

        WriteInt32(writer, entry.Payload.Length);
        writer.Write(entry.Payload);
        return Seal(writer);
    }

    public static OutboxEntry DeserializeOutbox(long sequence, ReadOnlySpan<byte> value)
    {
        var reader = new Reader(Verify(value, "outbox entry"));
        var version = reader.ReadByte();
        if (version != OutboxVersion && version != VersionedOutboxVersion)
        {
            throw new InvalidDataException($"Unsupported outbox entry version {version}.");
        }

        var operation = (OutboxOperation)reader.ReadByte();
        var bucket = reader.ReadString() ?? string.Empty;
        var key = reader.ReadString() ?? string.Empty;
        var etag = reader.ReadString();
        var created = DateTimeOffset.FromUnixTimeMilliseconds(reader.ReadInt64());
        string? versionId = null;
        var isDeleteMarker = false;
        if (version == VersionedOutboxVersion)
        {
            versionId = reader.ReadString() ?? throw new InvalidDataException("Outbox entry v2 without a version id.");
            isDeleteMarker = reader.ReadByte() == 1;
        }

        var payload = reader.ReadBytes(reader.ReadCount(1)).ToArray();
        return new OutboxEntry { Sequence = sequence, Operation = operation, Bucket = bucket, Key = key, ETag = etag, CreatedAt = created, Payload = payload, VersionId = versionId, IsDeleteMarker = isDeleteMarker };
    }

    /// <summary>
    /// This thread's spare writer (or a new one), emptied. Encoding a value then allocates only the sealed result: no
    /// growing buffer per value. Every write fills the whole span it advances over, so stale bytes are never sealed.
    /// </summary>
    private static ArrayBufferWriter<byte> RentWriter()
    {
        var writer = _spareWriter ?? new ArrayBufferWriter<byte>(InitialWriterCapacity);
        _spareWriter = null; // a nested encoding on this thread gets its own
        writer.ResetWrittenCount();
        return writer;
    }

    /// <summary>Appends the CRC32C and returns the value's exact bytes; the writer goes back to this thread's spare.</summary>
    private static byte[] Seal(ArrayBufferWriter<byte> writer)
    {
        var crc = Crc32C.Compute(writer.WrittenSpan);
        WriteUInt32(writer, crc);
        var sealedValue = writer.WrittenSpan.ToArray();
        if (writer.Capacity <= MaxSpareWriterCapacity)
        {
            _spareWriter = writer;
        }

        return sealedValue;
    }

    private static ReadOnlySpan<byte> Verify(ReadOnlySpan<byte> value, string what)
    {
        if (value.Length < 5)
        {
            throw new InvalidDataException($"Truncated {what} ({value.Length} bytes).");
        }

        var body = value[..^4];
        if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(value[^4..]))
        {
            throw new InvalidDataException($"Checksum mismatch in {what}.");
        }

        return body;
    }

    private static void WriteByte(ArrayBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    private static void WriteInt32(ArrayBufferWriter<byte> writer, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteInt64(ArrayBufferWriter<byte> writer, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    private static void WriteString(ArrayBufferWriter<byte> writer, string? value)
    {
        if (value is null)
        {
            WriteInt32(writer, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        WriteInt32(writer, length);
        Encoding.UTF8.GetBytes(value, writer.GetSpan(length));
        writer.Advance(length);
    }

    private static void WriteMap(ArrayBufferWriter<byte> writer, IReadOnlyDictionary<string, string> map)
    {
        WriteInt32(writer, map.Count);
        foreach (var (name, value) in map.OrderBy(static p => p.Key, StringComparer.Ordinal))
        {
            WriteString(writer, name);
            WriteString(writer, value);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public byte ReadByte() => Take(1)[0];

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

        public readonly int Remaining => _data.Length - _position;

        public int ReadCount(int elementSize)
        {
            var count = ReadInt32();
            if (count < 0 || (long)count * elementSize > _data.Length - _position)
            {
                throw new InvalidDataException($"Invalid element count {count} in metadata record.");
            }

            return count;
        }

        public string? ReadString()
        {
            var length = ReadInt32();
            return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
        }

        public void SkipString()
        {
            var length = ReadInt32();
            if (length >= 0)
            {
                Take(length);
            }
        }

        public void SkipMap()
        {
            var count = ReadCount(8);
            for (var i = 0; i < 2 * count; i++)
            {
                SkipString();
            }
        }

        /// <summary>
        /// Steps over a map, returning the bytes of the value of the entry named <paramref name="utf8Name"/> (the last
        /// one, as <see cref="ReadMap"/> keeps; false when absent or not asked).
        /// </summary>
        public bool TryReadMapEntry(byte[]? utf8Name, out ReadOnlySpan<byte> value)
        {
            var count = ReadCount(8);
            var found = false;
            value = default;
            for (var i = 0; i < count; i++)
            {
                var nameLength = ReadInt32();
                var entryName = nameLength < 0 ? default : Take(nameLength); // a null name reads as the empty one, as in ReadMap
                var valueLength = ReadInt32();
                var entryValue = valueLength < 0 ? default : Take(valueLength); // and a null value as the empty one
                if (utf8Name is not null && entryName.SequenceEqual(utf8Name))
                {
                    found = true;
                    value = entryValue;
                }
            }

            return found;
        }

        public Dictionary<string, string> ReadMap()
        {
            var count = ReadCount(8);
            var map = new Dictionary<string, string>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                var name = ReadString() ?? string.Empty;
                map[name] = ReadString() ?? string.Empty;
            }

            return map;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _data.Length - _position)
            {
                throw new InvalidDataException("Truncated metadata record.");
            }

            var slice = _data.Slice(_position, count);
            _position += count;
            return slice;
        }
    }
}
