using ComIO.Storage.Devices;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class BlockDeviceTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private IBlockDevice Create(DeviceType type)
    {
        switch (type)
        {
            case DeviceType.Memory:
                return new MemoryBlockDevice(1024 * 1024);
            case DeviceType.FaultInjecting:
                return new FaultInjectingBlockDevice(new MemoryBlockDevice(1024 * 1024));
            default:
                var path = _directory.Combine("dev.img");
                using (var file = File.Create(path))
                {
                    file.SetLength(1024 * 1024);
                }

                return DirectIoBlockDevice.Open(path);
        }
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task WriteAsync_ThenReadAsync_RoundTripsAlignedBlocks(DeviceType type)
    {
        using var device = Create(type);
        Assert.Equal(4096, device.BlockSize);
        Assert.Equal(1024 * 1024, device.Capacity);
        using var pool = new AlignedBufferPool(64 * 1024);
        using var write = pool.Rent();
        TestData.Random(write.Length, 3).CopyTo(write.Span);
        await device.WriteAsync(8192, write.Memory, Ct);
        await device.FlushAsync(Ct);
        using var read = pool.Rent();
        await device.ReadAsync(8192, read.Memory, Ct);
        Assert.True(write.Span.SequenceEqual(read.Span));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task WriteAsync_ThrowsArgumentException_WhenMisaligned(DeviceType type)
    {
        using var device = Create(type);
        using var buffer = AlignedBuffer.Allocate(16384);
        var offsetError = await Assert.ThrowsAsync<ArgumentException>(() => device.WriteAsync(100, buffer.Memory[..4096], Ct).AsTask());
        Assert.Contains("not a multiple of the block size", offsetError.Message, StringComparison.Ordinal);
        var lengthError = await Assert.ThrowsAsync<ArgumentException>(() => device.WriteAsync(0, buffer.Memory[..1000], Ct).AsTask());
        Assert.Contains("length", lengthError.Message, StringComparison.Ordinal);
        var memoryError = await Assert.ThrowsAsync<ArgumentException>(() => device.ReadAsync(0, buffer.Memory.Slice(512, 4096), Ct).AsTask());
        Assert.Contains("AlignedBufferPool", memoryError.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => device.ReadAsync(1024 * 1024, buffer.Memory[..4096], Ct).AsTask());
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task ManyConcurrentTransfersOfEverySize_ReadBackWhatEachWrote(DeviceType type)
    {
        // Small transfers from many callers at once are queued to the kernel (DirectIoBlockDevice: Linux AIO), large ones
        // to the device's threads; every block must come back as written, whichever path it took.
        using var device = Create(type);
        int[] sizes = [4096, 16384, 65536, 131072];
        var slots = (int)(device.Capacity / 131072);
        using var pool = new AlignedBufferPool(131072, maxRetained: slots);
        await Task.WhenAll(Enumerable.Range(0, slots).Select(slot => Task.Run(async () =>
        {
            using var buffer = pool.Rent();
            var length = sizes[slot % sizes.Length];
            TestData.Random(length, slot).CopyTo(buffer.Span);
            await device.WriteAsync(slot * 131072L, buffer.Memory[..length], Ct);
        }, Ct)));
        await device.FlushAsync(Ct);
        await Task.WhenAll(Enumerable.Range(0, slots).Select(slot => Task.Run(async () =>
        {
            using var buffer = pool.Rent();
            var length = sizes[slot % sizes.Length];
            await device.ReadAsync(slot * 131072L, buffer.Memory[..length], Ct);
            Assert.True(buffer.Span[..length].SequenceEqual(TestData.Random(length, slot)), $"slot {slot} ({length} bytes) did not read back as written");
        }, Ct)));
    }

    [Fact]
    public async Task ReadAsync_FromManyCallers_FailsEachTransfer_WhenTheDeviceIsClosed()
    {
        using var device = (DirectIoBlockDevice)Create(DeviceType.DirectFile);
        using var buffer = AlignedBuffer.Allocate(4096);
        await device.ReadAsync(0, buffer.Memory, Ct); // the device works
        device.Dispose();
        var reads = Enumerable.Range(0, 8).Select(_ => device.ReadAsync(0, buffer.Memory, Ct).AsTask()).ToArray();
        foreach (var read in reads)
        {
            await Assert.ThrowsAnyAsync<ObjectDisposedException>(() => read);
        }
    }

    [Fact]
    public void Open_ThrowsIOException_WhenPathIsMissing()
    {
        var ex = Assert.Throws<IOException>(() => DirectIoBlockDevice.Open(_directory.Combine("none")));
        Assert.Contains("none", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_Exclusive_WaitsForAHolderThatLetsGoWithinTheWait()
    {
        // The shape of a lock outliving its owner's close: another open description of the device (a child process
        // between fork and exec holds one) that goes away a moment after the owner closed.
        using var owner = Create(DeviceType.DirectFile);
        var path = ((DirectIoBlockDevice)owner).Path;
        var holder = DirectIoBlockDevice.Open(path, exclusive: true);
        var release = Task.Run(async () =>
        {
            await Task.Delay(DirectIoBlockDevice.LockWait / 5, Ct);
            holder.Dispose();
        }, Ct);

        using var device = DirectIoBlockDevice.Open(path, exclusive: true);
        await release;
        Assert.Throws<IOException>(() => DirectIoBlockDevice.Open(path, exclusive: true));
    }

    [Fact]
    public void Open_Exclusive_FailsWhileAnotherOwnerKeepsTheDevice()
    {
        using var owner = Create(DeviceType.DirectFile);
        var path = ((DirectIoBlockDevice)owner).Path;
        using var holder = DirectIoBlockDevice.Open(path, exclusive: true);
        var ex = Assert.Throws<IOException>(() => DirectIoBlockDevice.Open(path, exclusive: true));
        Assert.Contains("in use by another storage engine", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => DeviceFormatter.Format(path, 0, force: true));
    }

    [Fact]
    public void AlignedBufferPool_ReusesBuffers_AndAlignsThem()
    {
        using var pool = new AlignedBufferPool(8192, 4096, maxRetained: 1);
        var first = pool.Rent();
        var address = GetAddress(first);
        Assert.Equal(0, address % 4096);
        first.Dispose();
        first.Dispose();
        using var second = pool.Rent();
        Assert.Equal(address, GetAddress(second));
        using var third = pool.Rent();
        Assert.NotEqual(address, GetAddress(third));
    }

    private static unsafe long GetAddress(AlignedBuffer buffer)
    {
        using var pin = buffer.Memory.Pin();
        return (long)pin.Pointer;
    }

    [Fact]
    public async Task SimulateCrash_DiscardsUnflushedWrites_AndKeepsFlushedOnes()
    {
        var memory = new MemoryBlockDevice(64 * 1024);
        using var device = new FaultInjectingBlockDevice(memory);
        using var buffer = AlignedBuffer.Allocate(4096);
        buffer.Span.Fill(1);
        await device.WriteAsync(0, buffer.Memory, Ct);
        await device.FlushAsync(Ct);
        buffer.Span.Fill(2);
        await device.WriteAsync(0, buffer.Memory, Ct);
        await device.WriteAsync(4096, buffer.Memory, Ct);
        device.SimulateCrash();
        Assert.Equal(1, memory.RawData[0]);
        Assert.Equal(0, memory.RawData[4096]);
    }

    [Fact]
    public async Task TearWriteAfter_WritesOnlyPrefix_AndCrashesDevice()
    {
        var memory = new MemoryBlockDevice(64 * 1024);
        using var device = new FaultInjectingBlockDevice(memory);
        using var buffer = AlignedBuffer.Allocate(4 * 4096);
        buffer.Span.Fill(7);
        device.TearWriteAfter(0, blocksWritten: 2);
        await Assert.ThrowsAsync<IOException>(() => device.WriteAsync(0, buffer.Memory, Ct).AsTask());
        Assert.Equal(7, memory.RawData[(2 * 4096) - 1]);
        Assert.Equal(0, memory.RawData[2 * 4096]);
        Assert.True(device.IsCrashed);
        await Assert.ThrowsAsync<IOException>(() => device.ReadAsync(0, buffer.Memory, Ct).AsTask());
        device.SimulateCrash();
        Assert.False(device.IsCrashed);
        Assert.Equal(0, memory.RawData[0]);
    }

    [Fact]
    public async Task FaultSchedules_FailOnlyTheChosenOperation_WhenArmed()
    {
        var memory = new MemoryBlockDevice(64 * 1024);
        using var device = new FaultInjectingBlockDevice(memory);
        using var buffer = AlignedBuffer.Allocate(4096);
        device.FailWriteAfter(1);
        await device.WriteAsync(0, buffer.Memory, Ct);
        await Assert.ThrowsAsync<IOException>(() => device.WriteAsync(0, buffer.Memory, Ct).AsTask());
        await device.WriteAsync(0, buffer.Memory, Ct);
        device.FailReadAfter(0);
        await Assert.ThrowsAsync<IOException>(() => device.ReadAsync(0, buffer.Memory, Ct).AsTask());
        device.FailFlushAfter(0);
        await Assert.ThrowsAsync<IOException>(() => device.FlushAsync(Ct).AsTask());
        await device.FlushAsync(Ct);

        buffer.Span.Fill(9);
        await device.WriteAsync(4096, buffer.Memory, Ct);
        device.DropFlushes = true;
        await device.FlushAsync(Ct);
        device.SimulateCrash();
        Assert.Equal(0, memory.RawData[4096]);

        device.FlipBits(100, 0x80);
        Assert.Equal(0x80, memory.RawData[100]);
    }
}
