using System.Buffers.Binary;
using ComIO.Storage.Checksums;
using ComIO.Storage.Devices;

namespace ComIO.Storage;

/// <summary>
/// Block 1 of a device: which metadata store the device is paired with. It lets the engine refuse a new, empty metadata
/// store on a device that already holds data (which would otherwise treat every block as free). Layout (little-endian):
/// <code>
///  0  8  magic "COMIOPAR"
///  8  4  version (1)
/// 12  4  reserved (0)
/// 16 16  device UUID
/// 32 16  metadata store UUID
/// 48  8  paired at, Unix milliseconds
/// 56  4  CRC32C of bytes [0, 56)
/// </code>
/// All-zero means "never paired". Devices formatted with a data offset of one block have no pairing block.
/// </summary>
internal static class DevicePairing
{
    public const int EncodedLength = 60;
    private const uint Version = 1;
    private static readonly byte[] Magic = "COMIOPAR"u8.ToArray();

    public enum State
    {
        Unpaired,
        Paired,
        Corrupt,
    }

    public static bool IsSupported(Superblock superblock) => superblock.DataOffset >= 2L * superblock.BlockSize;

    public static State Read(IBlockDevice device, Superblock superblock, out Guid storeId)
    {
        storeId = Guid.Empty;
        using var buffer = AlignedBuffer.Allocate(device.BlockSize, device.BlockSize);
        device.ReadAsync(superblock.BlockSize, buffer.Memory).AsTask().GetAwaiter().GetResult();
        var data = buffer.Span[..EncodedLength];
        if (data.IndexOfAnyExcept((byte)0) < 0)
        {
            return State.Unpaired;
        }

        if (!data[..8].SequenceEqual(Magic)
            || BinaryPrimitives.ReadUInt32LittleEndian(data[8..]) != Version
            || Crc32C.Compute(data[..56]) != BinaryPrimitives.ReadUInt32LittleEndian(data[56..])
            || new Guid(data[16..32]) != superblock.DeviceId)
        {
            return State.Corrupt;
        }

        storeId = new Guid(data[32..48]);
        return State.Paired;
    }

    public static void Write(IBlockDevice device, Superblock superblock, Guid storeId, DateTimeOffset now)
    {
        using var buffer = AlignedBuffer.Allocate(device.BlockSize, device.BlockSize);
        var data = buffer.Span;
        data.Clear();
        Magic.CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data[8..], Version);
        superblock.DeviceId.TryWriteBytes(data[16..32]);
        storeId.TryWriteBytes(data[32..48]);
        BinaryPrimitives.WriteInt64LittleEndian(data[48..], now.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt32LittleEndian(data[56..], Crc32C.Compute(data[..56]));
        device.WriteAsync(superblock.BlockSize, buffer.Memory).AsTask().GetAwaiter().GetResult();
        device.FlushAsync().AsTask().GetAwaiter().GetResult();
    }
}
