using Amazon.Runtime;
using Amazon.S3;
using ComIO.ApiService.Pipeline;
using ComIO.Storage;
using ComIO.StorageNode.Engines;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>
/// A whole ComIO site in process: <see cref="NodeCount"/> storage nodes, each with one 256 MiB device image formatted in
/// a temporary folder, and the API service in front of them, all on real Kestrel at 127.0.0.1. Driven through
/// <see cref="S3"/> (the real AWS SDK) and <see cref="Wire"/> (hand-signed raw HTTP). One instance per test class
/// (class fixture); tests isolate themselves by bucket name. Disposing stops every service and deletes every file.
/// </summary>
public sealed class ComIOCluster : IAsyncLifetime
{
    public const string AccessKey = "AKIDCOMIOSERVICETEST";
    public const string SecretKey = "comio-service/Test+Secret=Key0123456789ab";
    public const string Region = "us-east-1";
    public const int NodeCount = 2;
    public const string ClusterSecret = "comio-service-tests-cluster-secret";

    /// <summary>A fixed test key (base64 of 32 bytes) for the users' secrets at rest.</summary>
    public const string SecretEncryptionKey = "Y29taW8tc2VydmljZS10ZXN0cy1lbmNyeXB0aW9uLWs=";

    /// <summary>The SSE-S3 master key of the test cluster (base64 of 32 bytes).</summary>
    public const string MasterKey = "Y29taW8tc2VydmljZS10ZXN0cy1tYXN0ZXIta2V5LTE=";
    private const long DeviceBytes = 256L * 1024 * 1024;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "comio-service-tests", Guid.NewGuid().ToString("N"));
    private readonly List<ServiceFactory<NodeEngines>> _nodes = [];
    private ServiceFactory<S3Endpoint>? _api;
    private readonly List<ServiceFactory<S3Endpoint>> _extraApis = [];
    private Dictionary<string, string> _apiSettings = [];
    private int _bucketCounter;

    private readonly ILoggerProvider? _logs;
    private readonly IReadOnlyDictionary<string, string> _extraApiSettings = new Dictionary<string, string>();
    private readonly IReadOnlyDictionary<string, string> _extraNodeSettings = new Dictionary<string, string>();
    private readonly int _devicesPerNode = 1;

    /// <summary>A cluster whose API service logs nowhere (the class-fixture constructor).</summary>
    public ComIOCluster()
    {
    }

    /// <summary>A cluster whose services (API service and nodes) log only to <paramref name="logs"/> (tests that read the logs).</summary>
    internal ComIOCluster(ILoggerProvider logs) => _logs = logs;

    /// <summary>A cluster whose storage nodes own <paramref name="devicesPerNode"/> devices each (objects spread over them by key).</summary>
    internal ComIOCluster(int devicesPerNode) => _devicesPerNode = devicesPerNode;

    /// <summary>A cluster whose API service gets <paramref name="apiSettings"/> on top of the defaults (e.g. peer sites).</summary>
    internal ComIOCluster(IReadOnlyDictionary<string, string> apiSettings) => _extraApiSettings = apiSettings;

    /// <summary>A cluster whose storage nodes get <paramref name="nodeSettings"/> on top of the defaults (e.g. <c>Lifecycle:TimeOffset</c>).</summary>
    internal ComIOCluster(IReadOnlyDictionary<string, string> apiSettings, IReadOnlyDictionary<string, string> nodeSettings)
    {
        _extraApiSettings = apiSettings;
        _extraNodeSettings = nodeSettings;
    }

    public Uri Endpoint => _api!.BaseAddress;

    /// <summary>The base addresses of the storage nodes' internal APIs, in <see cref="NodeIds"/> order.</summary>
    public IReadOnlyList<Uri> NodeAddresses => [.. _nodes.Select(n => n.BaseAddress)];

    public AmazonS3Client S3 { get; private set; } = null!;

    /// <summary>The API service's container, for placement questions (which node owns a key).</summary>
    public IServiceProvider ApiServices => _api!.Services;

    public S3Wire Wire { get; private set; } = null!;

    public IReadOnlyList<string> NodeIds { get; } = [.. Enumerable.Range(1, NodeCount).Select(i => $"node{i}")];

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        var api = new Dictionary<string, string>
        {
            ["Cluster:Secret"] = ClusterSecret,
            ["Auth:AdminAccessKey"] = AccessKey,
            ["Auth:AdminSecretKey"] = SecretKey,
            ["Auth:SecretEncryptionKey"] = SecretEncryptionKey,
            ["S3:Region"] = Region,
            ["Encryption:MasterKey"] = MasterKey,
            ["Encryption:AllowSseCOverHttp"] = "true", // the harness is plain HTTP on loopback
        };
        for (var i = 0; i < NodeIds.Count; i++)
        {
            var id = NodeIds[i];
            var nodeSettings = new Dictionary<string, string>
            {
                ["Cluster:Secret"] = ClusterSecret,
                ["Node:Id"] = id,
                ["Storage:MetadataPath"] = Path.Combine(_root, id, "meta"),
            };
            for (var d = 0; d < _devicesPerNode; d++)
            {
                var device = DeviceImage(id, d);
                DeviceFormatter.Format(device, DeviceBytes);
                nodeSettings[$"Storage:Devices:{d}:Path"] = device;
                nodeSettings[$"Storage:Devices:{d}:Type"] = "file";
            }

            foreach (var (name, value) in _extraNodeSettings)
            {
                nodeSettings[name] = value;
            }

            var node = new ServiceFactory<NodeEngines>(nodeSettings, _logs);
            _nodes.Add(node);
            node.Start();
            api[$"Cluster:Nodes:{i}"] = id;
            api[$"Cluster:NodeUrls:{id}"] = node.BaseAddress.ToString();
        }

        foreach (var (name, value) in _extraApiSettings)
        {
            api[name] = value;
        }

        if (_logs is not null)
        {
            // Tests that read the logs see everything, including ASP.NET Core's and the request lines.
            api["Logging:LogLevel:Default"] = "Trace";
            api["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
        }

        _apiSettings = api;
        _api = new ServiceFactory<S3Endpoint>(api, _logs).Start();
        S3 = NewClient();
        Wire = new S3Wire(Endpoint, AccessKey, SecretKey, Region);
        await Task.CompletedTask;
    }

    /// <summary>An SDK client for this site (path-style, no retries); <paramref name="configure"/> may adjust the config.</summary>
    public AmazonS3Client NewClient(Action<AmazonS3Config>? configure = null, string secretKey = SecretKey) => NewClient(AccessKey, secretKey, configure);

    /// <summary>An SDK client for this site signing with another access key (a user's); <paramref name="configure"/> may adjust the config.</summary>
    public AmazonS3Client NewClient(string accessKey, string secretKey, Action<AmazonS3Config>? configure = null, Uri? endpoint = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = (endpoint ?? Endpoint).ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = Region,
            MaxErrorRetry = 0,
        };
        configure?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }

    /// <summary>
    /// Starts another API service over the same nodes (a second replica behind a load balancer, with its own memory) and
    /// returns its endpoint; stopped with the cluster.
    /// </summary>
    public Uri StartAnotherApi()
    {
        var api = new ServiceFactory<S3Endpoint>(_apiSettings, _logs).Start();
        _extraApis.Add(api);
        return api.BaseAddress;
    }

    /// <summary>Stops storage node <paramref name="index"/> (0-based) for good: its port refuses connections from then on.</summary>
    public async Task StopNodeAsync(int index) => await _nodes[index].DisposeAsync();

    /// <summary>A bucket name unique within this cluster, valid under AWS rules.</summary>
    public string NewBucketName(string hint = "b") => $"{hint}-{Interlocked.Increment(ref _bucketCounter)}-{Guid.NewGuid():N}"[..Math.Min(63, hint.Length + 20)].TrimEnd('-');

    /// <summary>The device image file of node <paramref name="index"/> (for tests that inspect what reached the device).</summary>
    public string DevicePath(int index) => DeviceImage(NodeIds[index], 0);

    /// <summary>The image file of device <paramref name="device"/> of node <paramref name="nodeId"/>.</summary>
    private string DeviceImage(string nodeId, int device) =>
        Path.Combine(_root, nodeId, device == 0 ? "device.img" : $"device{device}.img");

    /// <summary>Creates a new empty bucket and returns its name.</summary>
    public async Task<string> CreateBucketAsync(string hint = "b")
    {
        var name = NewBucketName(hint);
        await S3.PutBucketAsync(name, TestContext.Current.CancellationToken);
        return name;
    }

    public async ValueTask DisposeAsync()
    {
        S3?.Dispose();
        Wire?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        foreach (var api in _extraApis)
        {
            await api.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        // RocksDB may still be finishing its last file operations as the engines close: retry briefly.
        for (var attempt = 0; attempt < 10 && Directory.Exists(_root); attempt++)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await Task.Delay(100);
            }
        }
    }
}
