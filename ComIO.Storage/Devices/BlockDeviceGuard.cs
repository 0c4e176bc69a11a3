namespace ComIO.Storage.Devices;

/// <summary>Argument validation shared by all device implementations, so every device rejects exactly what O_DIRECT rejects.</summary>
internal static class BlockDeviceGuard
{
    public static void ValidateBlockSize(int blockSize)
    {
        if (blockSize < 512 || (blockSize & (blockSize - 1)) != 0)
        {
            throw new ArgumentException($"Block size {blockSize} must be a power of two and at least 512.", nameof(blockSize));
        }
    }

    public static unsafe void ValidateIo(IBlockDevice device, long offset, ReadOnlyMemory<byte> buffer)
    {
        var blockSize = device.BlockSize;
        if (offset < 0 || offset % blockSize != 0)
        {
            throw new ArgumentException($"Offset {offset} on device '{device.Path}' is not a multiple of the block size {blockSize}.", nameof(offset));
        }

        if (buffer.Length % blockSize != 0)
        {
            throw new ArgumentException($"Buffer length {buffer.Length} on device '{device.Path}' is not a multiple of the block size {blockSize}.", nameof(buffer));
        }

        if (offset + buffer.Length > device.Capacity)
        {
            throw new ArgumentException($"Range [{offset}, {offset + buffer.Length}) is beyond the capacity {device.Capacity} of device '{device.Path}'.", nameof(offset));
        }

        using var pin = buffer.Pin();
        if ((nuint)pin.Pointer % (nuint)blockSize != 0)
        {
            throw new ArgumentException($"Buffer memory for device '{device.Path}' is not aligned to the block size {blockSize}; rent buffers from AlignedBufferPool.", nameof(buffer));
        }
    }
}
