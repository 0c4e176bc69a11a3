using ComIO.Storage.Devices;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class SuperblockTests
{
    private static readonly Guid FixedId = new("00112233-4455-6677-8899-aabbccddeeff");

    [Fact]
    public void WriteTo_ProducesGoldenBytes_ForFixedSuperblock()
    {
        var superblock = new Superblock(FixedId, 4096, 1L << 30, 4096, DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000));
        var bytes = new byte[Superblock.EncodedLength];
        superblock.WriteTo(bytes);

        // If this fails the on-device format changed: bump Superblock.CurrentFormatVersion and add a migration.
        const string Golden =
            "434F4D494F444556" + "01000000" + "00100000" + "33221100554477668899AABBCCDDEEFF"
            + "0000004000000000" + "0010000000000000" + "00E897B69A010000" + "00000000" + "6DBD7FF3";
        Assert.Equal(Golden, Convert.ToHexString(bytes));
    }

    [Fact]
    public void TryParse_RoundTripsFields_ForValidSuperblock()
    {
        var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var bytes = new byte[4096];
        new Superblock(FixedId, 512, 1 << 20, 512, created).WriteTo(bytes);
        Assert.True(Superblock.TryParse(bytes, out var parsed, out var problem), problem);
        Assert.Equal((FixedId, 512, 1L << 20, 512L, created, 1u), (parsed!.DeviceId, parsed.BlockSize, parsed.Capacity, parsed.DataOffset, parsed.CreatedAt, parsed.FormatVersion));
    }

    [Theory]
    [InlineData(0, "unknown magic")]
    [InlineData(8, "checksum")]
    [InlineData(20, "checksum")]
    [InlineData(60, "checksum")]
    public void TryParse_ReportsProblem_WhenAByteIsCorrupted(int offset, string expected)
    {
        var bytes = new byte[Superblock.EncodedLength];
        new Superblock(FixedId, 4096, 1L << 30, 4096, DateTimeOffset.UnixEpoch).WriteTo(bytes);
        bytes[offset] ^= 0x40;
        Assert.False(Superblock.TryParse(bytes, out var parsed, out var problem));
        Assert.Null(parsed);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ReportsUnsupportedVersion_WhenVersionIsNewer()
    {
        var bytes = new byte[Superblock.EncodedLength];
        new Superblock(FixedId, 4096, 1L << 30, 4096, DateTimeOffset.UnixEpoch, formatVersion: 2).WriteTo(bytes);
        Assert.False(Superblock.TryParse(bytes, out _, out var problem));
        Assert.Contains("unsupported format version 2", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_ReportsNotFormatted_WhenBlockIsEmpty()
    {
        Assert.False(Superblock.TryParse(new byte[4096], out _, out var problem));
        Assert.Contains("not formatted", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_CreatesSparseImageAndRefusesToOverwrite_UnlessForced()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("dev.img");
        DeviceFormatter.Format(path, 16L * 1024 * 1024);
        Assert.Equal(16L * 1024 * 1024, new FileInfo(path).Length);
        Assert.True(DeviceFormatter.TryReadSuperblock(path, out var first, out _));
        Assert.Equal(16L * 1024 * 1024, first!.Capacity);

        var ex = Assert.Throws<StorageFormatException>(() => DeviceFormatter.Format(path, 16L * 1024 * 1024));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);

        DeviceFormatter.Format(path, 16L * 1024 * 1024, force: true);
        Assert.True(DeviceFormatter.TryReadSuperblock(path, out var second, out _));
        Assert.NotEqual(first.DeviceId, second!.DeviceId);
    }

    [Fact]
    public void TryReadSuperblock_ReportsProblem_ForMissingOrUnformattedFile()
    {
        using var directory = new TempDirectory();
        Assert.False(DeviceFormatter.TryReadSuperblock(directory.Combine("missing"), out _, out var missing));
        Assert.Contains("does not exist", missing, StringComparison.Ordinal);
        var path = directory.Combine("blank.img");
        File.WriteAllBytes(path, new byte[8192]);
        Assert.False(DeviceFormatter.TryReadSuperblock(path, out _, out var blank));
        Assert.Contains("not formatted", blank, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ThrowsFormatErrorNamingPath_WhenDeviceIsNotFormatted()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("blank.img");
        File.WriteAllBytes(path, new byte[1024 * 1024]);
        var ex = await Assert.ThrowsAsync<StorageFormatException>(() => StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = path, MetadataPath = directory.Combine("meta") }, TestContext.Current.CancellationToken));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not formatted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ThrowsFormatError_WhenSuperblockIsCorrupt()
    {
        using var directory = new TempDirectory();
        var device = new MemoryBlockDevice(1024 * 1024);
        DeviceFormatter.Format(device);
        device.RawData[30] ^= 1;
        var ex = await Assert.ThrowsAsync<StorageFormatException>(() => StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = "mem0", MetadataPath = directory.Combine("meta"), DeviceFactory = _ => device }, TestContext.Current.CancellationToken));
        Assert.Contains("mem0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_Refuses_WhenMetadataBelongsToAnotherDevice()
    {
        using var directory = new TempDirectory();
        var meta = directory.Combine("meta");
        var first = new MemoryBlockDevice(1024 * 1024);
        var second = new MemoryBlockDevice(1024 * 1024);
        var firstSuperblock = DeviceFormatter.Format(first);
        DeviceFormatter.Format(second);
        await (await StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = "a", MetadataPath = meta, DeviceFactory = _ => first }, TestContext.Current.CancellationToken)).DisposeAsync();
        var ex = await Assert.ThrowsAsync<StorageFormatException>(() => StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = "b", MetadataPath = meta, DeviceFactory = _ => second }, TestContext.Current.CancellationToken));
        Assert.Contains("belongs to device", ex.Message, StringComparison.Ordinal);

        await using var reopened = await StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = "a", MetadataPath = meta, DeviceFactory = _ => first }, TestContext.Current.CancellationToken);
        Assert.Equal(firstSuperblock.DeviceId, reopened.DeviceId);
    }

    [Fact]
    public async Task OpenAsync_ThrowsIOExceptionAndLeavesFirstEngineWorking_WhenMetadataIsInUse()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var ex = await Assert.ThrowsAsync<IOException>(() => StorageEngine.OpenAsync(harness.Options, TestContext.Current.CancellationToken));
        Assert.Contains(harness.MetadataPath, ex.Message, StringComparison.Ordinal);
        Assert.Equal(EngineStatus.Ok, await harness.Engine.CreateBucketAsync("still-works", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OpenAsync_Refuses_WhenFileIsConfiguredAsBlockDevice()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("dev.img");
        DeviceFormatter.Format(path, 4L * 1024 * 1024);
        var ex = await Assert.ThrowsAsync<StorageFormatException>(() => StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = path, DeviceKind = DeviceKind.Block, MetadataPath = directory.Combine("meta") }, TestContext.Current.CancellationToken));
        Assert.Contains("regular file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_RefusesDeviceOwnedByAnotherEngine_EvenWithOtherMetadata()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.DirectFile);
        using var directory = new TempDirectory();
        var options = new StorageEngineOptions { DevicePath = harness.DevicePath, MetadataPath = directory.Combine("other-meta") };
        var ex = await Assert.ThrowsAsync<IOException>(() => StorageEngine.OpenAsync(options, TestContext.Current.CancellationToken));
        Assert.Contains("in use", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => DeviceFormatter.Format(harness.DevicePath, 0, force: true));
        Assert.True(DeviceFormatter.TryReadSuperblock(harness.DevicePath, out _, out _));
        await harness.ReopenAsync();
    }

    [Fact]
    public async Task OpenAsync_RefusesNewEmptyMetadata_OnDevicePairedWithAnotherStore()
    {
        using var directory = new TempDirectory();
        var device = new MemoryBlockDevice(4L * 1024 * 1024);
        DeviceFormatter.Format(device);
        StorageEngineOptions Options(string meta) => new() { DevicePath = "dev", MetadataPath = directory.Combine(meta), DeviceFactory = _ => device };
        await using (var engine = await StorageEngine.OpenAsync(Options("original"), TestContext.Current.CancellationToken))
        {
            await engine.CreateBucketAsync("b", TestContext.Current.CancellationToken);
            await engine.PutAsync("b", "k", TestData.Random(100_000, 1));
        }

        var ex = await Assert.ThrowsAsync<StorageFormatException>(() => StorageEngine.OpenAsync(Options("fresh"), TestContext.Current.CancellationToken));
        Assert.Contains("new, empty store", ex.Message, StringComparison.Ordinal);

        await using (var engine = await StorageEngine.OpenAsync(Options("original"), TestContext.Current.CancellationToken))
        {
            Assert.Equal(TestData.Random(100_000, 1), await engine.ReadAllAsync("b", "k"));
        }

        DeviceFormatter.Format(device, force: true);
        await using var reformatted = await StorageEngine.OpenAsync(Options("fresh"), TestContext.Current.CancellationToken);
        Assert.Equal(reformatted.GetStats().Capacity, reformatted.GetStats().FreeBytes);
    }

    [Fact]
    public async Task OpenAsync_UsesFormattedBlockSize_WhenDeviceWasFormattedWith512ByteBlocks()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("dev512.img");
        DeviceFormatter.Format(path, 8L * 1024 * 1024, blockSize: 512);
        var options = new StorageEngineOptions { DevicePath = path, MetadataPath = directory.Combine("meta") };
        var data = TestData.Random(200_001, 3);
        await using (var engine = await StorageEngine.OpenAsync(options, TestContext.Current.CancellationToken))
        {
            Assert.Equal(512, engine.Superblock.BlockSize);
            Assert.Equal((8L * 1024 * 1024) - 1024, engine.GetStats().Capacity);
            await engine.CreateBucketAsync("b", TestContext.Current.CancellationToken);
            await engine.PutAsync("b", "k", data);
        }

        await using var reopened = await StorageEngine.OpenAsync(options, TestContext.Current.CancellationToken);
        Assert.Equal(data, await reopened.ReadAllAsync("b", "k"));
        Assert.Equal(ChunkedUsage(data.Length, 512), reopened.GetStats().UsedBytes);
    }

    private static long ChunkedUsage(long size, int blockSize) => (size + blockSize - 1) / blockSize * blockSize;
}
