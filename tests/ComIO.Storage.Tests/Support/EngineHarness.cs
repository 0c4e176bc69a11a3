using ComIO.Storage.Devices;

namespace ComIO.Storage.Tests.Support;

/// <summary>
/// A formatted device of the requested type plus a metadata directory; opens, reopens and corrupts engines on them.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly MemoryBlockDevice? _memory;
    private StorageEngine? _engine;

    private EngineHarness(DeviceType type, long capacity, int inlineThreshold, int chunkSize)
    {
        Type = type;
        InlineThreshold = inlineThreshold;
        ChunkSize = chunkSize;
        MetadataPath = _directory.Combine("meta");
        switch (type)
        {
            case DeviceType.Memory:
                _memory = new MemoryBlockDevice(capacity);
                DevicePath = "memory";
                DeviceFormatter.Format(_memory);
                break;
            case DeviceType.FaultInjecting:
                _memory = new MemoryBlockDevice(capacity);
                Faults = new FaultInjectingBlockDevice(_memory);
                DevicePath = "faulty";
                DeviceFormatter.Format(Faults);
                break;
            default:
                DevicePath = _directory.Combine("device.img");
                DeviceFormatter.Format(DevicePath, capacity);
                break;
        }
    }

    public DeviceType Type { get; }

    public string DevicePath { get; }

    public string MetadataPath { get; }

    public int InlineThreshold { get; }

    public int ChunkSize { get; }

    public FaultInjectingBlockDevice? Faults { get; }

    /// <summary>The raw bytes of a memory or fault-injecting device (throws for a device file).</summary>
    public Span<byte> MemoryData => (_memory ?? throw new InvalidOperationException("Not a memory device.")).RawData;

    /// <summary>The engine's clock (the system clock unless a test sets one before opening).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>The commit loop's gather delay (the engine's default unless a test sets one before opening).</summary>
    public TimeSpan CommitGatherDelay { get; set; } = StorageEngineOptions.DefaultCommitGatherDelay;

    public StorageEngine Engine => _engine ?? throw new InvalidOperationException("Engine not open.");

    public static async Task<EngineHarness> CreateAsync(DeviceType type, long capacity = 32L * 1024 * 1024, int inlineThreshold = 16 * 1024, int chunkSize = 64 * 1024, bool open = true)
    {
        var harness = new EngineHarness(type, capacity, inlineThreshold, chunkSize);
        if (open)
        {
            await harness.OpenAsync();
        }

        return harness;
    }

    public StorageEngineOptions Options => new()
    {
        CommitGatherDelay = CommitGatherDelay,
        DevicePath = DevicePath,
        MetadataPath = MetadataPath,
        InlineThreshold = InlineThreshold,
        ChunkSize = ChunkSize,
        TimeProvider = Clock,
        DeviceFactory = Type switch
        {
            DeviceType.Memory => _ => _memory!,
            DeviceType.FaultInjecting => _ => Faults!,
            _ => null,
        },
    };

    public async Task<StorageEngine> OpenAsync()
    {
        _engine = await StorageEngine.OpenAsync(Options, TestContext.Current.CancellationToken);
        return _engine;
    }

    /// <summary>
    /// Power loss of the whole node: the device stops accepting I/O and the metadata directory is copied as it is on disk
    /// while the engine is still running (nothing is flushed or closed gracefully); then the engine is torn down, the
    /// device loses its unflushed writes, and the copy replaces the metadata directory.
    /// </summary>
    public async Task CrashAsync(Random? partialWriteBack = null)
    {
        Faults!.Crash();
        var image = MetadataPath + ".crash";
        CopyDirectory(MetadataPath, image);
        await CloseAsync();
        Directory.Delete(MetadataPath, recursive: true);
        Directory.Move(image, MetadataPath);
        Faults.SimulateCrash(partialWriteBack);
    }

    /// <summary>Copies a RocksDB directory as a crash would leave it: whatever its files hold now, without the lock file.</summary>
    internal static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            var name = System.IO.Path.GetFileName(file);
            if (name != "LOCK")
            {
                File.Copy(file, System.IO.Path.Combine(destination, name));
            }
        }
    }

    public async Task CloseAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
            _engine = null;
        }
    }

    public async Task<StorageEngine> ReopenAsync()
    {
        await CloseAsync();
        return await OpenAsync();
    }

    /// <summary>XORs a byte on the device behind the engine's back (bit rot).</summary>
    public void CorruptByte(long deviceOffset)
    {
        if (_memory is not null)
        {
            _memory.RawData[(int)deviceOffset] ^= 0x5A;
            return;
        }

        // A second, non-exclusive O_DIRECT handle: the engine holds the device's flock, and O_DIRECT avoids stale caches.
        using var device = DirectIoBlockDevice.Open(DevicePath);
        using var block = AlignedBuffer.Allocate(device.BlockSize);
        var blockOffset = deviceOffset / device.BlockSize * device.BlockSize;
        device.ReadAsync(blockOffset, block.Memory).AsTask().GetAwaiter().GetResult();
        block.Span[(int)(deviceOffset - blockOffset)] ^= 0x5A;
        device.WriteAsync(blockOffset, block.Memory).AsTask().GetAwaiter().GetResult();
        device.FlushAsync().AsTask().GetAwaiter().GetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _directory.Dispose();
    }
}
