using System.Buffers.Binary;
using ComIO.Storage.Checksums;

namespace ComIO.Storage;

/// <summary>
/// The device header at block 0. Layout (little-endian, <see cref="EncodedLength"/> bytes, the rest of block 0 is zero):
/// <code>
///  0  8  magic "COMIODEV"
///  8  4  format version (1)
/// 12  4  block size
/// 16 16  device UUID (Guid.TryWriteBytes, little-endian fields)
/// 32  8  capacity in bytes (whole device, multiple of block size)
/// 40  8  data offset in bytes (first data block; = block size)
/// 48  8  created at, Unix milliseconds
/// 56  4  reserved (0)
/// 60  4  CRC32C of bytes [0, 60)
/// </code>
/// Immutable.
/// </summary>
public sealed class Superblock
{
    public const int EncodedLength = 64;
    public const uint CurrentFormatVersion = 1;
    public static readonly byte[] Magic = "COMIODEV"u8.ToArray();

    public Superblock(Guid deviceId, int blockSize, long capacity, long dataOffset, DateTimeOffset createdAt, uint formatVersion = CurrentFormatVersion)
    {
        DeviceId = deviceId;
        BlockSize = blockSize;
        Capacity = capacity;
        DataOffset = dataOffset;
        CreatedAt = createdAt;
        FormatVersion = formatVersion;
    }

    public uint FormatVersion { get; }

    public Guid DeviceId { get; }

    public int BlockSize { get; }

    public long Capacity { get; }

    public long DataOffset { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Writes the encoded superblock into the first <see cref="EncodedLength"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < EncodedLength)
        {
            throw new ArgumentException($"Destination must hold {EncodedLength} bytes.", nameof(destination));
        }

        var d = destination[..EncodedLength];
        d.Clear();
        Magic.CopyTo(d);
        BinaryPrimitives.WriteUInt32LittleEndian(d[8..], FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(d[12..], BlockSize);
        DeviceId.TryWriteBytes(d[16..32]);
        BinaryPrimitives.WriteInt64LittleEndian(d[32..], Capacity);
        BinaryPrimitives.WriteInt64LittleEndian(d[40..], DataOffset);
        BinaryPrimitives.WriteInt64LittleEndian(d[48..], CreatedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt32LittleEndian(d[60..], Crc32C.Compute(d[..60]));
    }

    /// <summary>Decodes a superblock; on failure returns false with a human-readable <paramref name="problem"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out Superblock? superblock, out string? problem)
    {
        superblock = null;
        if (source.Length < EncodedLength)
        {
            problem = "the superblock is truncated";
            return false;
        }

        if (!source[..8].SequenceEqual(Magic))
        {
            problem = source[..EncodedLength].IndexOfAnyExcept((byte)0) < 0
                ? "no ComIO superblock (block 0 is empty; the device is not formatted)"
                : "unknown magic (not a ComIO device)";
            return false;
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
        var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(source[60..]);
        if (Crc32C.Compute(source[..60]) != storedCrc)
        {
            problem = "superblock checksum mismatch (corrupt superblock)";
            return false;
        }

        if (version != CurrentFormatVersion)
        {
            problem = $"unsupported format version {version} (this build supports {CurrentFormatVersion})";
            return false;
        }

        var blockSize = BinaryPrimitives.ReadInt32LittleEndian(source[12..]);
        var capacity = BinaryPrimitives.ReadInt64LittleEndian(source[32..]);
        var dataOffset = BinaryPrimitives.ReadInt64LittleEndian(source[40..]);
        if (blockSize < 512 || (blockSize & (blockSize - 1)) != 0 || capacity <= 0 || capacity % blockSize != 0
            || dataOffset < blockSize || dataOffset % blockSize != 0 || dataOffset > capacity)
        {
            problem = $"inconsistent superblock fields (block size {blockSize}, capacity {capacity}, data offset {dataOffset})";
            return false;
        }

        superblock = new Superblock(
            new Guid(source[16..32]),
            blockSize,
            capacity,
            dataOffset,
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(source[48..])),
            version);
        problem = null;
        return true;
    }
}
