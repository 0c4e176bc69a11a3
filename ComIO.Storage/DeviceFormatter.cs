using ComIO.Storage.Devices;

namespace ComIO.Storage;

/// <summary>
/// Writes and reads the device superblock. Formatting never happens implicitly: the engine refuses unformatted devices,
/// and <see cref="Format(string, long, int, bool)"/> refuses to overwrite a valid superblock unless forced.
/// </summary>
public static class DeviceFormatter
{
    /// <summary>
    /// Creates a sparse file image of <paramref name="sizeBytes"/> if <paramref name="path"/> does not exist (an existing
    /// file or block device keeps its size) and writes a new superblock with a fresh device UUID.
    /// Throws <see cref="StorageFormatException"/> if a valid ComIO superblock exists and <paramref name="force"/> is false.
    /// </summary>
    public static void Format(string path, long sizeBytes, int blockSize = 4096, bool force = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            if (sizeBytes < 3L * blockSize)
            {
                throw new ArgumentOutOfRangeException(nameof(sizeBytes), sizeBytes, $"Device size must be at least three blocks ({3 * blockSize} bytes).");
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite);
            stream.SetLength(sizeBytes / blockSize * blockSize);
        }

        using var device = DirectIoBlockDevice.Open(path, blockSize, exclusive: true);
        Format(device, force);
    }

    /// <summary>
    /// Formats an already-open device: block 0 superblock, block 1 an empty metadata-pairing block, data from block 2.
    /// Returns the new superblock.
    /// </summary>
    public static Superblock Format(IBlockDevice device, bool force = false, Guid? deviceId = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (!force && TryReadSuperblock(device, out var existing, out _))
        {
            throw new StorageFormatException($"Device '{device.Path}' already holds a ComIO superblock (device id {existing!.DeviceId}); pass force to overwrite it.");
        }

        if (device.Capacity < 3L * device.BlockSize)
        {
            throw new StorageFormatException($"Device '{device.Path}' is too small ({device.Capacity} bytes) to format.");
        }

        // Block 0: superblock. Block 1: metadata pairing (empty until an engine first opens the device). Then data.
        var superblock = new Superblock(
            deviceId ?? Guid.NewGuid(),
            device.BlockSize,
            device.Capacity,
            2L * device.BlockSize,
            (timeProvider ?? TimeProvider.System).GetUtcNow());
        using var buffer = AlignedBuffer.Allocate(2 * device.BlockSize, device.BlockSize);
        buffer.Span.Clear();
        superblock.WriteTo(buffer.Span);
        device.WriteAsync(0, buffer.Memory).AsTask().GetAwaiter().GetResult();
        device.FlushAsync().AsTask().GetAwaiter().GetResult();
        return superblock;
    }

    /// <summary>Reads the superblock of a file image or block device. Never throws for format problems.</summary>
    public static bool TryReadSuperblock(string path, out Superblock? superblock, out string? problem)
    {
        superblock = null;
        if (!File.Exists(path))
        {
            problem = $"'{path}' does not exist";
            return false;
        }

        try
        {
            using var device = DirectIoBlockDevice.Open(path, 4096);
            return TryReadSuperblock(device, out superblock, out problem);
        }
        catch (IOException ex)
        {
            problem = ex.Message;
            return false;
        }
    }

    /// <summary>Reads the superblock from block 0 of an open device.</summary>
    public static bool TryReadSuperblock(IBlockDevice device, out Superblock? superblock, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(device);
        superblock = null;
        if (device.Capacity < device.BlockSize)
        {
            problem = "the device is smaller than one block";
            return false;
        }

        using var buffer = AlignedBuffer.Allocate(device.BlockSize, device.BlockSize);
        device.ReadAsync(0, buffer.Memory).AsTask().GetAwaiter().GetResult();
        return Superblock.TryParse(buffer.Span, out superblock, out problem);
    }
}
