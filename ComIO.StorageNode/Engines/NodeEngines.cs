using System.IO.Hashing;
using System.Text;
using ComIO.Storage;
using ComIO.Storage.Devices;
using ComIO.StorageNode.Configuration;
using ComIO.StorageNode.Devices;
using Microsoft.Extensions.Options;

namespace ComIO.StorageNode.Engines;

/// <summary>
/// The storage engines of this node, one per configured device. Objects are spread over the devices by a stable
/// hash of (bucket, key); every device keeps its own record of every bucket so each engine validates and lists alone.
/// Opened once at start-up (<see cref="StartAsync"/>); a device that fails to open stops the node with the reason.
/// Every device is opened through a <see cref="MonitoredBlockDevice"/> (I/O errors reach health and metrics); a registered
/// <see cref="IBlockDeviceInterceptor"/> (tests only) may wrap the device below it.
/// </summary>
public sealed class NodeEngines(IOptions<StorageOptions> options, ILogger<NodeEngines> logger, IEnumerable<IBlockDeviceInterceptor> interceptors) : IHostedService, IAsyncDisposable
{
    private readonly StorageOptions _options = options.Value;
    private readonly IBlockDeviceInterceptor? _interceptor = interceptors.LastOrDefault();
    private StorageEngine[] _engines = [];
    private MonitoredBlockDevice[] _devices = [];

    public IReadOnlyList<StorageEngine> All => _engines;

    /// <summary>The devices under <see cref="All"/>, same order, with their I/O error counts.</summary>
    public IReadOnlyList<MonitoredBlockDevice> Devices => _devices;

    public bool IsOpen => _engines.Length > 0;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var engines = new List<StorageEngine>();
        var devices = new List<MonitoredBlockDevice>();
        for (var i = 0; i < _options.Devices.Count; i++)
        {
            var device = _options.Devices[i];
            var kind = device.Type == "block" ? DeviceKind.Block : DeviceKind.File;
            if (_options.Format && !DeviceFormatter.TryReadSuperblock(device.Path, out _, out _))
            {
                logger.LogWarning("Formatting device {DevicePath} (storage.format is set and it holds no ComIO superblock)", device.Path);
                DeviceFormatter.Format(device.Path, _options.FormatSizeMiB * 1024 * 1024, _options.BlockSize);
            }

            MonitoredBlockDevice? monitored = null;
            var index = i;
            var engine = await StorageEngine.OpenAsync(
                new StorageEngineOptions
                {
                    DevicePath = device.Path,
                    DeviceKind = kind,
                    MetadataPath = Path.Combine(_options.MetadataPath, $"device{i}"),
                    InlineThreshold = _options.InlineThreshold,
                    DeviceFactory = path => monitored = new MonitoredBlockDevice(OpenDevice(index, path, kind)),
                },
                cancellationToken);
            logger.LogInformation("Opened device {DevicePath} ({DeviceId})", device.Path, engine.DeviceId);
            engines.Add(engine);
            devices.Add(monitored!);
        }

        _engines = [.. engines];
        _devices = [.. devices];
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Opens a device as the engine would by default (O_DIRECT, exclusive, with the block size of its superblock), checks
    /// that a <c>block</c> device is one, and lets the test interceptor wrap it.
    /// </summary>
    private IBlockDevice OpenDevice(int index, string path, DeviceKind kind)
    {
        if (!File.Exists(path))
        {
            throw new StorageFormatException($"Device '{path}' does not exist; format it first.");
        }

        var blockSize = DeviceFormatter.TryReadSuperblock(path, out var superblock, out _) ? superblock!.BlockSize : 4096;
        var device = DirectIoBlockDevice.Open(path, blockSize, exclusive: true);
        if (kind == DeviceKind.Block && !device.IsBlockDevice)
        {
            device.Dispose();
            throw new StorageFormatException($"Device '{path}' is configured as a block device but is a regular file.");
        }

        return _interceptor?.Wrap(index, device) ?? device;
    }

    /// <summary>The engine that owns (bucket, key). Stable for a fixed device list.</summary>
    public StorageEngine For(string bucket, string key)
    {
        if (_engines.Length == 1)
        {
            return _engines[0];
        }

        var best = 0;
        ulong bestWeight = 0;
        var name = Encoding.UTF8.GetBytes(bucket + "\0" + key);
        for (var i = 0; i < _engines.Length; i++)
        {
            var weight = XxHash64.HashToUInt64(name, seed: unchecked(i * -7046029254386353131L));
            if (weight >= bestWeight)
            {
                bestWeight = weight;
                best = i;
            }
        }

        return _engines[best];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines)
        {
            await engine.DisposeAsync();
        }

        _engines = [];
        _devices = [];
    }
}
