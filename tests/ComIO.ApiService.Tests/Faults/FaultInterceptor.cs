using ComIO.Storage.Devices;
using ComIO.StorageNode.Devices;

namespace ComIO.ApiService.Tests.Faults;

/// <summary>Puts a <see cref="FaultInjectingBlockDevice"/> under the node's engine and keeps it for the test to arm.</summary>
internal sealed class FaultInterceptor : IBlockDeviceInterceptor
{
    public FaultInjectingBlockDevice? Device { get; private set; }

    public IBlockDevice Wrap(int index, IBlockDevice device) => Device = new FaultInjectingBlockDevice(device);
}
