using ComIO.Storage;

namespace ComIO.AppHost.Topology;

/// <summary>Creates and formats a node's device image on first start; an existing image is never reformatted.</summary>
public static class DeviceImages
{
    public static void EnsureFormatted(string path, long sizeBytes)
    {
        if (File.Exists(path) || path.StartsWith("/dev/", StringComparison.Ordinal))
        {
            return; // existing images and raw devices are the operator's: the node validates them at start-up
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        DeviceFormatter.Format(path, sizeBytes);
    }
}
