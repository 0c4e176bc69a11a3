using ComIO.Storage.Devices;

namespace ComIO.StorageNode.Devices;

/// <summary>
/// Test hook: when a service of this type is registered, <see cref="Engines.NodeEngines"/> passes every opened device
/// through <see cref="Wrap"/> (e.g. to put a fault-injecting device under the engine). Nothing in configuration registers
/// one; production nodes never have it.
/// </summary>
public interface IBlockDeviceInterceptor
{
    /// <summary>Returns the device the engine uses instead of <paramref name="device"/> (device number <paramref name="index"/>).</summary>
    IBlockDevice Wrap(int index, IBlockDevice device);
}
