using Cocona;
using ComIO.Cli.Output;
using ComIO.Storage;

namespace ComIO.Cli.Commands;

/// <summary>
/// <c>comio device format|info PATH</c>: storage-node devices (image files or raw block devices) through ComIO.Storage's
/// <see cref="DeviceFormatter"/>. Run on the node's host while no node has the device open (format takes it exclusively).
/// </summary>
public sealed class DeviceCommands
{
    [Command("format", Description = "Write a new ComIO superblock (creating a sparse image file of --size-mib if PATH does not exist); refuses a formatted device unless --force")]
    public int Format(
        [Argument(Description = "image file or block device")] string path,
        [Option("size-mib", Description = "Size of a new image file in MiB")] long sizeMib = 4096,
        [Option("block-size", Description = "Block size in bytes (power of two, 512-65536)")] int blockSize = 4096,
        [Option("force", Description = "Overwrite a valid ComIO superblock (every object on the device is lost)")] bool force = false,
        [Option("verbose", Description = "Print full exception details on failure")] bool verbose = false) =>
        CommandRunner.RunAsync(verbose, () =>
        {
            if (blockSize < 512 || blockSize > 65536 || (blockSize & (blockSize - 1)) != 0)
            {
                throw new CliException($"--block-size {blockSize} is not a power of two between 512 and 65536", ExitCodes.Usage);
            }

            if (sizeMib < 1)
            {
                throw new CliException("--size-mib must be at least 1", ExitCodes.Usage);
            }

            if (!force && DeviceFormatter.TryReadSuperblock(path, out var existing, out _))
            {
                throw new CliException($"{path} already holds a ComIO superblock (device id {existing!.DeviceId}); pass --force to overwrite it and lose its data");
            }

            try
            {
                DeviceFormatter.Format(path, sizeMib * 1024 * 1024, blockSize, force);
            }
            catch (StorageFormatException ex)
            {
                throw new CliException(ex.Message);
            }

            if (!DeviceFormatter.TryReadSuperblock(path, out var written, out var problem))
            {
                throw new CliException($"{path}: formatted, but the superblock does not read back: {problem}");
            }

            Console.Error.WriteLine($"formatted {path}: device id {written!.DeviceId}, {Sizes.Format(written.Capacity)}, block size {written.BlockSize}");
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    [Command("info", Description = "Show a device's ComIO superblock; exits 1 when PATH holds none or a corrupt one")]
    public int Info(
        [Argument(Description = "image file or block device")] string path,
        [Option("json", Description = "JSON output")] bool json = false,
        [Option("verbose", Description = "Print full exception details on failure")] bool verbose = false) =>
        CommandRunner.RunAsync(verbose, () =>
        {
            if (!DeviceFormatter.TryReadSuperblock(path, out var superblock, out var problem))
            {
                throw new CliException($"{path}: no valid ComIO superblock ({problem})");
            }

            if (json)
            {
                Json.Write(new
                {
                    path,
                    formatVersion = superblock!.FormatVersion,
                    deviceId = superblock.DeviceId,
                    blockSize = superblock.BlockSize,
                    capacityBytes = superblock.Capacity,
                    dataOffset = superblock.DataOffset,
                    createdAt = superblock.CreatedAt,
                });
                return Task.CompletedTask;
            }

            Console.Out.WriteLine($"path            {path}");
            Console.Out.WriteLine($"format version  {superblock!.FormatVersion}");
            Console.Out.WriteLine($"device id       {superblock.DeviceId}");
            Console.Out.WriteLine($"block size      {superblock.BlockSize}");
            Console.Out.WriteLine($"capacity        {Sizes.Format(superblock.Capacity)} ({superblock.Capacity} bytes)");
            Console.Out.WriteLine($"data offset     {superblock.DataOffset}");
            Console.Out.WriteLine($"created         {superblock.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
}
