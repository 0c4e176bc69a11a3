using ComIO.Storage.Allocation;
using ComIO.Storage.Encryption;
using ComIO.Storage.Objects;

namespace ComIO.Storage;

/// <summary>
/// The committed metadata of one object version. Immutable snapshot; safe to share between threads.
/// Data lives either inline (small objects) or in device extents, as one or more <see cref="DataSegment"/>s (one per part
/// for a completed multipart upload), each checksummed per chunk on its own chunk grid.
/// </summary>
public sealed class ObjectRecord
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
    private DataSegment[]? _segments;

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    /// <summary>
    /// The S3 version id: "null" for the null version (every object of a never-versioned bucket, and versions written
    /// while versioning was suspended), otherwise a 32-character id that sorts newest first (see <c>VersionIds</c>).
    /// </summary>
    public string VersionId => VersionSlot is null || IsNullVersion ? "null" : VersionSlot;

    /// <summary>True for a delete marker: a version without data (size 0, empty ETag, no extents).</summary>
    public bool IsDeleteMarker { get; init; }

    /// <summary>
    /// True when this is the key's latest version. Set by <see cref="StorageEngine.ListObjectVersions"/> and the version
    /// lookups; records from other calls report false.
    /// </summary>
    public bool IsLatest { get; init; }

    /// <summary>
    /// The 32-character storage id of this version (its place in the key's version order), or null for a record written
    /// before its bucket was ever versioned (a null version not yet placed in the version order).
    /// </summary>
    internal string? VersionSlot { get; init; }

    /// <summary>True when <see cref="VersionSlot"/> belongs to the null version (public id "null").</summary>
    internal bool IsNullVersion { get; init; }

    public required long Size { get; init; }

    /// <summary>
    /// Lower-case hex MD5 of the content, without quotes; for a multipart object S3's multipart ETag: hex MD5 of the
    /// concatenated binary part MD5s, "-", part count.
    /// </summary>
    public required string ETag { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public string? ContentType { get; init; }

    /// <summary>x-amz-meta-* entries, names without the prefix, lower-case.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = Empty;

    /// <summary>content-encoding, content-disposition, cache-control, content-language, expires: verbatim.</summary>
    public IReadOnlyDictionary<string, string> SystemMetadata { get; init; } = Empty;

    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Base64 checksum for <see cref="ChecksumAlgorithm"/>, if one was requested.</summary>
    public string? Checksum { get; init; }

    /// <summary>
    /// The object's tag set (S3 object tagging), in the order it was given; empty when untagged. At most
    /// <see cref="ObjectTags.MaxTags"/> entries with unique keys (see <see cref="ObjectTags"/>).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = ObjectTags.None;

    /// <summary>Number of parts for an object created by a multipart upload; 0 otherwise.</summary>
    public int PartCount { get; init; }

    /// <summary>Object Lock retention of this version (record section <c>'R'</c>), or null when it has none.</summary>
    public ObjectRetention? Retention { get; init; }

    /// <summary>Object Lock legal hold of this version (record section <c>'L'</c>): while ON the version cannot be deleted.</summary>
    public bool LegalHold { get; init; }

    /// <summary>
    /// True when the version may not be deleted or replaced in place at <paramref name="now"/>: a legal hold is on, or a
    /// retention is active (a GOVERNANCE retention does not count when <paramref name="bypassGovernance"/> is set).
    /// Delete markers are never locked.
    /// </summary>
    public bool IsLocked(DateTimeOffset now, bool bypassGovernance = false) =>
        !IsDeleteMarker && (LegalHold || (Retention is { } retention && retention.IsActive(now)
            && !(bypassGovernance && retention.Mode == RetentionMode.Governance)));

    /// <summary>
    /// Every device extent the object owns (all segments, in order; empty for inline objects). For a single-segment
    /// object this is also its data layout; multi-segment objects must be read through <see cref="Segments"/>.
    /// </summary>
    internal Extent[] Extents { get; init; } = [];

    /// <summary>Bytes per CRC32C chunk of a single-segment object (0 for inline and multi-segment objects).</summary>
    internal int ChunkSize { get; init; }

    /// <summary>CRC32C of each chunk of a single-segment object (the last chunk may be short).</summary>
    internal uint[] ChunkCrcs { get; init; } = [];

    /// <summary>
    /// The data segments in object order (empty for inline objects). A single-segment record (format v1) derives its one
    /// segment from <see cref="Extents"/>, <see cref="ChunkSize"/> and <see cref="ChunkCrcs"/>.
    /// </summary>
    internal DataSegment[] Segments
    {
        get => _segments ??= HasExtents ? [new DataSegment { Length = Size, ChunkSize = ChunkSize, Extents = Extents, ChunkCrcs = ChunkCrcs, Encryption = Encryption }] : [];
        init => _segments = value;
    }

    /// <summary>True when the record was built from explicit segments (a multipart object: record format v2).</summary>
    internal bool IsSegmented => PartCount > 0;

    /// <summary>
    /// Encryption at rest of a single-segment or inline object (record section <c>'E'</c>); null when stored in the clear.
    /// Multi-segment objects carry it per segment.
    /// </summary>
    internal SegmentEncryption? Encryption { get; init; }

    /// <summary>
    /// True when the data is encrypted at rest: reading it needs the object's data key (which the engine never stores;
    /// the caller keeps it wrapped in the object's metadata).
    /// </summary>
    public bool IsEncrypted => Encryption is not null || (IsSegmented && Array.Exists(Segments, static s => s.Encryption is not null));

    /// <summary>The content when stored inline in metadata; null when stored in extents.</summary>
    internal byte[]? InlineData { get; init; }

    /// <summary>True when the data lives in device extents.</summary>
    internal bool HasExtents => Extents.Length > 0;

    /// <summary>
    /// True when the record was read with its data (inline content, chunk CRCs, encryption tags), so that it can be
    /// opened without reading it again (<see cref="StorageEngine.OpenCurrentAsync"/>); false for records read for
    /// listing or metadata, whose <see cref="InlineData"/> is empty whatever the object holds.
    /// </summary>
    internal bool CarriesData { get; init; }

    /// <summary>
    /// The byte range of part <paramref name="partNumber"/> (S3 <c>GetObject?partNumber=N</c>): for a multipart object the
    /// part's range, for any other object part 1 is the whole object. False when the part does not exist.
    /// </summary>
    public bool TryGetPartRange(int partNumber, out long offset, out long length)
    {
        offset = 0;
        length = 0;
        if (!IsSegmented)
        {
            length = Size;
            return partNumber == 1;
        }

        if (partNumber < 1 || partNumber > Segments.Length)
        {
            return false;
        }

        for (var i = 0; i < partNumber - 1; i++)
        {
            offset += Segments[i].Length;
        }

        length = Segments[partNumber - 1].Length;
        return true;
    }

    /// <summary>A copy with <paramref name="changes"/> applied to <see cref="SystemMetadata"/> (null value = remove the entry).</summary>
    internal ObjectRecord WithSystemMetadata(IReadOnlyDictionary<string, string?> changes)
    {
        var metadata = new Dictionary<string, string>(SystemMetadata, StringComparer.Ordinal);
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                metadata.Remove(name);
            }
            else
            {
                metadata[name] = value;
            }
        }

        return WithTags(Tags, metadata);
    }

    internal ObjectRecord WithTags(IReadOnlyList<KeyValuePair<string, string>> tags) => WithTags(tags, SystemMetadata);

    /// <summary>A copy placed at <paramref name="slot"/> in the version order (null version when <paramref name="isNull"/>).</summary>
    internal ObjectRecord WithVersion(string slot, bool isNull, bool isLatest = false) => Copy(Tags, SystemMetadata, slot, isNull, isLatest);

    /// <summary>A copy with <see cref="IsLatest"/> set as given.</summary>
    internal ObjectRecord WithLatest(bool isLatest) => isLatest == IsLatest ? this : Copy(Tags, SystemMetadata, VersionSlot, IsNullVersion, isLatest);

    private ObjectRecord WithTags(IReadOnlyList<KeyValuePair<string, string>> tags, IReadOnlyDictionary<string, string> systemMetadata) =>
        Copy(tags, systemMetadata, VersionSlot, IsNullVersion, IsLatest);

    /// <summary>A copy with the given Object Lock state (data, tags and version placement unchanged).</summary>
    internal ObjectRecord WithLock(ObjectRetention? retention, bool legalHold) =>
        Copy(Tags, SystemMetadata, VersionSlot, IsNullVersion, IsLatest, retention, legalHold);

    /// <summary>
    /// A copy carrying another site's identity of this version: its ETag (verbatim; null keeps this one) and its
    /// modification time (the time encoded in its version id), so a replica reads back as the source version does.
    /// </summary>
    internal ObjectRecord AsReplica(string? etag, DateTimeOffset lastModified) =>
        Copy(Tags, SystemMetadata, VersionSlot, IsNullVersion, IsLatest, Retention, LegalHold, etag ?? ETag, lastModified);

    private ObjectRecord Copy(IReadOnlyList<KeyValuePair<string, string>> tags, IReadOnlyDictionary<string, string> systemMetadata, string? slot, bool isNull, bool isLatest) =>
        Copy(tags, systemMetadata, slot, isNull, isLatest, Retention, LegalHold);

    private ObjectRecord Copy(IReadOnlyList<KeyValuePair<string, string>> tags, IReadOnlyDictionary<string, string> systemMetadata, string? slot, bool isNull, bool isLatest, ObjectRetention? retention, bool legalHold, string? etag = null, DateTimeOffset? lastModified = null) => new()
    {
        Retention = retention,
        LegalHold = legalHold,
        Bucket = Bucket,
        Key = Key,
        VersionSlot = slot,
        IsNullVersion = isNull,
        IsDeleteMarker = IsDeleteMarker,
        IsLatest = isLatest,
        Size = Size,
        ETag = etag ?? ETag,
        LastModified = lastModified ?? LastModified,
        ContentType = ContentType,
        UserMetadata = UserMetadata,
        SystemMetadata = systemMetadata,
        ChecksumAlgorithm = ChecksumAlgorithm,
        Checksum = Checksum,
        PartCount = PartCount,
        Extents = Extents,
        ChunkSize = ChunkSize,
        ChunkCrcs = ChunkCrcs,
        Segments = Segments,
        InlineData = InlineData,
        CarriesData = CarriesData,
        Encryption = Encryption,
        Tags = tags,
    };

    /// <summary>Maps an object offset to a device offset and the number of contiguous bytes available from there.</summary>
    /// <remarks>For multi-segment objects the contiguous count never extends past the end of the segment's extents.</remarks>
    internal long MapToDevice(long objectOffset, out long contiguousBytes)
    {
        var remaining = objectOffset;
        foreach (var segment in Segments)
        {
            if (remaining < segment.Length)
            {
                return segment.MapToDevice(remaining, out contiguousBytes);
            }

            remaining -= segment.Length;
        }

        throw new ArgumentOutOfRangeException(nameof(objectOffset), objectOffset, $"Offset is beyond the extents of '{Bucket}/{Key}'.");
    }
}
