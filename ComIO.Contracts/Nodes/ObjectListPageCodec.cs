using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace ComIO.Contracts.Nodes;

/// <summary>
/// The binary form of a node's listing pages, the bulk path of every ListObjects (<see cref="InternalApi.List"/>) and
/// ListObjectVersions (<see cref="InternalApi.Versions"/>) request. A listing entry carries only what a listing shows,
/// so the page is encoded field by field instead of as JSON <see cref="ObjectInfo"/>s, which cost several times more
/// to write and to read (three collections per entry).
/// <code>
/// u8 format (1 = objects, 2 = versions) | u8 flags (bit 0 = truncated; other bits 0) | i32 count | count × entry
/// format 1 entry: str key | i64 size | str etag | i64 last-modified (Unix ms) | str? checksum algorithm
///                 | i32 n, n × (str name, str value) system metadata
/// format 2 entry: str key | str version id | u8 kind (bit 0 = delete marker, bit 1 = latest; other bits 0)
///                 | the format 1 fields after the key
/// str = i32 byte length (-1 = null) + UTF-8, little-endian throughout
/// </code>
/// Entries name no bucket (the page is of one bucket); object pages name no version (they show current versions only).
/// </summary>
public static class ObjectListPageCodec
{
    public const string ContentType = "application/vnd.comio.list-page";

    private const byte ObjectsFormat = 1;
    private const byte VersionsFormat = 2;
    private const byte TruncatedFlag = 1;
    private const byte DeleteMarkerKind = 1;
    private const byte LatestKind = 2;

    public static void Write(IBufferWriter<byte> output, IReadOnlyList<ObjectInfo> objects, bool isTruncated)
    {
        WriteHeader(output, ObjectsFormat, objects, isTruncated);
        foreach (var entry in objects)
        {
            WriteString(output, entry.Key);
            WriteListedFields(output, entry);
        }
    }

    /// <summary>A version page: each entry also names its version id, whether it is a delete marker and whether it is the latest.</summary>
    public static void WriteVersions(IBufferWriter<byte> output, IReadOnlyList<ObjectInfo> versions, bool isTruncated)
    {
        WriteHeader(output, VersionsFormat, versions, isTruncated);
        foreach (var entry in versions)
        {
            WriteString(output, entry.Key);
            WriteString(output, entry.VersionId);
            var kind = output.GetSpan(1);
            kind[0] = (byte)((entry.IsDeleteMarker ? DeleteMarkerKind : 0) | (entry.IsLatest ? LatestKind : 0));
            output.Advance(1);
            WriteListedFields(output, entry);
        }
    }

    /// <exception cref="InvalidDataException">The bytes are not a whole object page in this format.</exception>
    public static ObjectListPage Read(string bucket, ReadOnlySpan<byte> page)
    {
        var reader = new Reader(page);
        var (count, truncated) = ReadHeader(ref reader, ObjectsFormat);
        var objects = new List<ObjectInfo>(count);
        var previous = new PreviousMetadata();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString() ?? throw new InvalidDataException("A listing entry has no key.");
            objects.Add(ReadListedFields(ref reader, previous, bucket, key, "null", isDeleteMarker: false, isLatest: false));
        }

        ReadEnd(ref reader);
        return new ObjectListPage(objects, truncated);
    }

    /// <exception cref="InvalidDataException">The bytes are not a whole version page in this format.</exception>
    public static ObjectVersionListPage ReadVersions(string bucket, ReadOnlySpan<byte> page)
    {
        var reader = new Reader(page);
        var (count, truncated) = ReadHeader(ref reader, VersionsFormat);
        var versions = new List<ObjectInfo>(count);
        var previous = new PreviousMetadata();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString() ?? throw new InvalidDataException("A listing entry has no key.");
            var versionId = reader.ReadString() ?? throw new InvalidDataException("A version entry has no version id.");
            var kind = reader.ReadByte();
            if ((kind & ~(DeleteMarkerKind | LatestKind)) != 0)
            {
                throw new InvalidDataException("A version entry has an unknown kind.");
            }

            versions.Add(ReadListedFields(ref reader, previous, bucket, key, versionId, (kind & DeleteMarkerKind) != 0, (kind & LatestKind) != 0));
        }

        ReadEnd(ref reader);
        return new ObjectVersionListPage(versions, truncated);
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte format, IReadOnlyList<ObjectInfo> entries, bool isTruncated)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entries);
        var header = output.GetSpan(6);
        header[0] = format;
        header[1] = isTruncated ? TruncatedFlag : (byte)0;
        BinaryPrimitives.WriteInt32LittleEndian(header[2..], entries.Count);
        output.Advance(6);
    }

    /// <summary>The fields both formats carry after the key (and, in a version page, the version id and kind).</summary>
    private static void WriteListedFields(IBufferWriter<byte> output, ObjectInfo entry)
    {
        WriteInt64(output, entry.Size);
        WriteString(output, entry.ETag);
        WriteInt64(output, entry.LastModified.ToUnixTimeMilliseconds());
        WriteString(output, entry.ChecksumAlgorithm);
        WriteInt32(output, entry.SystemMetadata.Count);
        if (entry.SystemMetadata.Count == 0)
        {
            return; // no enumerator to allocate
        }

        if (entry.SystemMetadata is Dictionary<string, string> map)
        {
            foreach (var (name, value) in map)
            {
                WriteString(output, name);
                WriteString(output, value);
            }

            return;
        }

        foreach (var (name, value) in entry.SystemMetadata)
        {
            WriteString(output, name);
            WriteString(output, value);
        }
    }

    private static (int Count, bool Truncated) ReadHeader(ref Reader reader, byte format)
    {
        if (reader.ReadByte() != format)
        {
            throw new InvalidDataException("Unknown listing page format.");
        }

        var flags = reader.ReadByte();
        if ((flags & ~TruncatedFlag) != 0)
        {
            throw new InvalidDataException("Unknown listing page flags.");
        }

        return (reader.ReadCount(), (flags & TruncatedFlag) != 0);
    }

    private static ObjectInfo ReadListedFields(ref Reader reader, PreviousMetadata previous, string bucket, string key, string versionId, bool isDeleteMarker, bool isLatest)
    {
        var size = reader.ReadInt64();
        var etag = reader.ReadString() ?? throw new InvalidDataException("A listing entry has no ETag.");
        var lastModified = reader.ReadInt64();
        var algorithm = reader.ReadString(ChecksumAlgorithmNames.All);
        var metadata = ReadMetadata(ref reader, previous);

        if (size < 0 || lastModified < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || lastModified > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            throw new InvalidDataException("A listing entry has an invalid size or date.");
        }

        return new ObjectInfo
        {
            Bucket = bucket,
            Key = key,
            VersionId = versionId,
            IsDeleteMarker = isDeleteMarker,
            IsLatest = isLatest,
            Size = size,
            ETag = etag,
            LastModified = DateTimeOffset.FromUnixTimeMilliseconds(lastModified),
            ChecksumAlgorithm = algorithm,
            SystemMetadata = metadata,
        };
    }

    /// <summary>
    /// An entry's system metadata. An entry whose metadata bytes equal the previous entry's shares its map: the entries
    /// of a page mostly carry the same one (an ACL written by the same account).
    /// </summary>
    private static IReadOnlyDictionary<string, string> ReadMetadata(ref Reader reader, PreviousMetadata previous)
    {
        var start = reader.Position;
        var count = reader.ReadCount();
        if (count == 0)
        {
            return ObjectInfo.NoMetadata;
        }

        for (var m = 0; m < 2 * count; m++)
        {
            reader.SkipString();
        }

        var section = reader.Slice(start, reader.Position - start);
        if (previous.Map is { } shared && section.SequenceEqual(reader.Slice(previous.Start, previous.Length)))
        {
            return shared;
        }

        var decoder = new Reader(section);
        decoder.ReadCount();
        var metadata = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var m = 0; m < count; m++)
        {
            var name = decoder.ReadString() ?? throw new InvalidDataException("A metadata entry has no name.");
            metadata[name] = decoder.ReadString() ?? throw new InvalidDataException("A metadata entry has no value.");
        }

        (previous.Start, previous.Length, previous.Map) = (start, section.Length, metadata);
        return metadata;
    }

    /// <summary>Where in the page the last decoded metadata section lies, and its map.</summary>
    private sealed class PreviousMetadata
    {
        public int Start;
        public int Length;
        public IReadOnlyDictionary<string, string>? Map;
    }

    private static void ReadEnd(ref Reader reader)
    {
        if (!reader.AtEnd)
        {
            throw new InvalidDataException("A listing page has bytes after its last entry.");
        }
    }

    private static void WriteInt32(IBufferWriter<byte> output, int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteInt64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteString(IBufferWriter<byte> output, string? value)
    {
        if (value is null)
        {
            WriteInt32(output, -1);
            return;
        }

        var length = Encoding.UTF8.GetByteCount(value);
        var span = output.GetSpan(4 + length);
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        Encoding.UTF8.GetBytes(value, span[4..]);
        output.Advance(4 + length);
    }

    /// <summary>Bounds-checked little-endian reads; any overrun or bad UTF-8 is <see cref="InvalidDataException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public readonly int Position => _position;

        /// <summary>Bytes of the page already read (<paramref name="start"/> and <paramref name="length"/> from <see cref="Position"/>s).</summary>
        public readonly ReadOnlySpan<byte> Slice(int start, int length) => _data.Slice(start, length);

        /// <summary>Steps over a string, checking only that its bytes are there (<see cref="ReadString"/> checks the rest when it is read).</summary>
        public void SkipString()
        {
            if (ReadStringLength() is var length and > 0)
            {
                Take(length);
            }
        }

        public byte ReadByte() => Take(1)[0];

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        /// <summary>A count of items that each take at least one byte, so it can never exceed what is left.</summary>
        public int ReadCount()
        {
            var count = ReadInt32();
            return count >= 0 && count <= _data.Length - _position ? count : throw new InvalidDataException("A listing page has an impossible count.");
        }

        /// <summary>A string, or null; the instance from <paramref name="known"/> when the bytes spell one of them.</summary>
        public string? ReadString(string[]? known = null)
        {
            var length = ReadStringLength();
            if (length == -1)
            {
                return null;
            }

            var bytes = Take(length);
            foreach (var name in known ?? [])
            {
                if (Ascii.Equals(bytes, name))
                {
                    return name;
                }
            }

            try
            {
                return StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new InvalidDataException("A listing page has a string that is not UTF-8.", e);
            }
        }

        /// <summary>A string's byte length, or -1 for null; any other negative length is refused.</summary>
        private int ReadStringLength()
        {
            var length = ReadInt32();
            return length >= -1 ? length : throw new InvalidDataException("A listing page has a negative string length.");
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _data.Length - _position)
            {
                throw new InvalidDataException("A listing page ends inside an entry.");
            }

            var slice = _data.Slice(_position, length);
            _position += length;
            return slice;
        }
    }
}
