using System.Text;

namespace ComIO.Storage.Metadata;

/// <summary>
/// RocksDB key layout (bytewise comparator, so order is ordinal UTF-8):
/// <c>"d"</c> device identity; <c>"b\0" + bucket</c> bucket records; <c>"o\0" + bucket + "\0" + key</c> object records;
/// <c>"x\0" + u64 big-endian sequence</c> outbox entries (so they sort by sequence); <c>"q"</c> outbox high-water mark;
/// <c>"c\0" + bucket + "\0" + name</c> bucket settings (policy, ACL, CORS, ...); <c>"s\0" + namespace + "\0" + id</c>
/// system documents (users, access keys); <c>"u\0" + bucket + "\0" + key + "\0" + uploadId</c> multipart uploads (upload ids have a fixed length and sort by
/// initiation time, so a bucket's uploads sort by key, then initiation, then id); <c>"p\0" + uploadId + u32 big-endian
/// part number</c> parts (an upload's parts are one contiguous range in part-number order).
/// <c>"v\0" + bucket + "\0" + key + "\0" + versionSlot</c> noncurrent versions and delete markers of versioned buckets (slot
/// ids have a fixed length and sort newest first, so a bucket's range is in S3 version order: key, then newest first; the
/// current data version lives under <c>"o\0"</c>, so plain listings and GETs never see noncurrent versions);
/// <c>"n\0" + bucket + "\0" + key</c> the slot of the key's null version when it is noncurrent (or a delete marker).
/// Bucket names never contain NUL, so a bucket's objects (and uploads) form one contiguous key range and listing is a Seek.
/// </summary>
internal static class MetadataKeys
{
    public static readonly byte[] DeviceIdentity = "d"u8.ToArray();
    public static readonly byte[] BucketPrefix = "b\0"u8.ToArray();
    public static readonly byte[] ObjectPrefix = "o\0"u8.ToArray();
    public static readonly byte[] OutboxPrefix = "x\0"u8.ToArray();
    public static readonly byte[] UploadPrefix = "u\0"u8.ToArray();
    public static readonly byte[] PartPrefix = "p\0"u8.ToArray();
    public static readonly byte[] BucketSettingPrefix = "c\0"u8.ToArray();
    public static readonly byte[] SystemDocumentPrefix = "s\0"u8.ToArray();
    public static readonly byte[] VersionPrefix = "v\0"u8.ToArray();
    public static readonly byte[] NullVersionPrefix = "n\0"u8.ToArray();

    /// <summary>The prefix of every version key in <paramref name="bucket"/> whose object key starts with <paramref name="keyPrefix"/>.</summary>
    public static byte[] VersionsOf(string bucket, string? keyPrefix = null) => Concat(VersionPrefix, bucket, "\0", keyPrefix ?? string.Empty);

    /// <summary>The prefix of every version of exactly <paramref name="key"/> (object key followed by the NUL separator).</summary>
    public static byte[] VersionsOfKey(string bucket, string key) => Concat(VersionPrefix, bucket, "\0", key + "\0");

    public static byte[] Version(string bucket, string key, string slot) => Concat(VersionPrefix, bucket, "\0", string.Concat(key, "\0", slot));

    /// <summary>Splits a version key; the slot is the last <see cref="VersionIds.Length"/> bytes, so keys may contain NUL.</summary>
    public static (string Bucket, string Key, string Slot) ParseVersion(ReadOnlySpan<byte> key)
    {
        var rest = key[VersionPrefix.Length..];
        var separator = rest.IndexOf((byte)0);
        if (separator < 0 || rest.Length < separator + 1 + VersionIds.Length + 1 || rest[^(VersionIds.Length + 1)] != 0)
        {
            throw new InvalidDataException("Malformed object version key in metadata.");
        }

        return (
            Encoding.UTF8.GetString(rest[..separator]),
            Encoding.UTF8.GetString(rest[(separator + 1)..^(VersionIds.Length + 1)]),
            Encoding.ASCII.GetString(rest[^VersionIds.Length..]));
    }

    public static byte[] NullVersion(string bucket, string key) => Concat(NullVersionPrefix, bucket, "\0", key);

    /// <summary>Highest outbox sequence ever assigned (i64 little-endian), so sequences are never reused after removals.</summary>
    public static readonly byte[] OutboxHighWater = "q"u8.ToArray();

    public static byte[] Outbox(long sequence)
    {
        var key = new byte[OutboxPrefix.Length + 8];
        OutboxPrefix.CopyTo(key, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(OutboxPrefix.Length), sequence);
        return key;
    }

    public static long ParseOutbox(ReadOnlySpan<byte> key) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(key[OutboxPrefix.Length..]);

    public static byte[] Bucket(string bucket) => Concat(BucketPrefix, bucket, null, null);

    /// <summary>The prefix of every object key in <paramref name="bucket"/>, optionally extended by a key prefix.</summary>
    public static byte[] ObjectsOf(string bucket, string? keyPrefix = null) => Concat(ObjectPrefix, bucket, "\0", keyPrefix ?? string.Empty);

    public static byte[] Object(string bucket, string key) => Concat(ObjectPrefix, bucket, "\0", key);

    /// <summary>Splits an object key into bucket and object key.</summary>
    public static (string Bucket, string Key) ParseObject(ReadOnlySpan<byte> key)
    {
        var rest = key[ObjectPrefix.Length..];
        var separator = rest.IndexOf((byte)0);
        if (separator < 0)
        {
            throw new InvalidDataException("Malformed object key in metadata.");
        }

        return (Encoding.UTF8.GetString(rest[..separator]), Encoding.UTF8.GetString(rest[(separator + 1)..]));
    }

    /// <summary>The prefix of every upload key in <paramref name="bucket"/> whose object key starts with <paramref name="keyPrefix"/>.</summary>
    public static byte[] UploadsOf(string bucket, string? keyPrefix = null) => Concat(UploadPrefix, bucket, "\0", keyPrefix ?? string.Empty);

    /// <summary>The prefix of every upload of exactly <paramref name="key"/> (object key followed by the NUL separator).</summary>
    public static byte[] UploadsOfKey(string bucket, string key) => Concat(UploadPrefix, bucket, "\0", key + "\0");

    public static byte[] Upload(string bucket, string key, string uploadId) => Concat(UploadPrefix, bucket, "\0", string.Concat(key, "\0", uploadId));

    /// <summary>Splits an upload key; the upload id is the last <see cref="UploadIds.Length"/> bytes, so keys may contain NUL.</summary>
    public static (string Bucket, string Key, string UploadId) ParseUpload(ReadOnlySpan<byte> key)
    {
        var rest = key[UploadPrefix.Length..];
        var separator = rest.IndexOf((byte)0);
        if (separator < 0 || rest.Length < separator + 1 + UploadIds.Length + 1 || rest[^(UploadIds.Length + 1)] != 0)
        {
            throw new InvalidDataException("Malformed multipart upload key in metadata.");
        }

        return (
            Encoding.UTF8.GetString(rest[..separator]),
            Encoding.UTF8.GetString(rest[(separator + 1)..^(UploadIds.Length + 1)]),
            Encoding.ASCII.GetString(rest[^UploadIds.Length..]));
    }

    /// <summary>The prefix of every part key of <paramref name="uploadId"/>.</summary>
    public static byte[] PartsOf(string uploadId) => Concat(PartPrefix, uploadId, null, null);

    public static byte[] Part(string uploadId, int partNumber)
    {
        var prefix = PartsOf(uploadId);
        var key = new byte[prefix.Length + 4];
        prefix.CopyTo(key, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(prefix.Length), partNumber);
        return key;
    }

    public static int ParsePartNumber(ReadOnlySpan<byte> key) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(key[^4..]);

    /// <summary>The prefix of every setting of <paramref name="bucket"/> (the bucket name followed by NUL).</summary>
    public static byte[] BucketSettingsOf(string bucket) => Concat(BucketSettingPrefix, bucket, "\0", string.Empty);

    public static byte[] BucketSetting(string bucket, string name) => Concat(BucketSettingPrefix, bucket, "\0", name);

    /// <summary>The prefix of every system document of <paramref name="documentNamespace"/> (the namespace followed by NUL).</summary>
    public static byte[] SystemDocumentsOf(string documentNamespace) => Concat(SystemDocumentPrefix, documentNamespace, "\0", string.Empty);

    public static byte[] SystemDocument(string documentNamespace, string id) => Concat(SystemDocumentPrefix, documentNamespace, "\0", id);

    /// <summary>The part of <paramref name="key"/> after <paramref name="rangePrefix"/> (a setting name or document id).</summary>
    public static string ParseSuffix(ReadOnlySpan<byte> key, int rangePrefixLength) => Encoding.UTF8.GetString(key[rangePrefixLength..]);

    public static string ParseBucket(ReadOnlySpan<byte> key) => Encoding.UTF8.GetString(key[BucketPrefix.Length..]);

    private static byte[] Concat(byte[] prefix, string first, string? separator, string? second)
    {
        var length = prefix.Length + Encoding.UTF8.GetByteCount(first) + (separator?.Length ?? 0) + (second is null ? 0 : Encoding.UTF8.GetByteCount(second));
        var result = new byte[length];
        prefix.CopyTo(result, 0);
        var position = prefix.Length;
        position += Encoding.UTF8.GetBytes(first, result.AsSpan(position));
        if (separator is not null)
        {
            position += Encoding.UTF8.GetBytes(separator, result.AsSpan(position));
        }

        if (second is not null)
        {
            Encoding.UTF8.GetBytes(second, result.AsSpan(position));
        }

        return result;
    }
}
