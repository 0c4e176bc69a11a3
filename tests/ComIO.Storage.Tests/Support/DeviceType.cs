namespace ComIO.Storage.Tests.Support;

public enum DeviceType
{
    Memory,
    DirectFile,
    FaultInjecting,
}
