namespace ComIO.Storage;

/// <summary>Whether the device path is a file image or a raw block device.</summary>
public enum DeviceKind
{
    File,
    Block,
}
