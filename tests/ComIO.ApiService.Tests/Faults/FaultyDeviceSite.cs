using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Tests.S3.Harness;
using ComIO.Storage;
using ComIO.Storage.Devices;
using Xunit;

namespace ComIO.ApiService.Tests.Faults;

/// <summary>
/// One ComIO site in process: the API service in front of a single storage node (so every object lands on it) whose
/// device image sits under a <see cref="FaultInjectingBlockDevice"/>. One instance per test: device faults leave the node
/// unhealthy until it restarts. Disposing stops both services and deletes every file.
/// </summary>
internal sealed class FaultyDeviceSite : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "comio-fault-tests", Guid.NewGuid().ToString("N"));
    private readonly FaultInterceptor _interceptor = new();
    private FaultyNodeFactory? _node;
    private ServiceFactory<S3Endpoint>? _api;

    private FaultyDeviceSite()
    {
    }

    public AmazonS3Client S3 { get; private set; } = null!;

    /// <summary>The fault-injecting device under the node's engine.</summary>
    public FaultInjectingBlockDevice Device => _interceptor.Device ?? throw new InvalidOperationException("The node has not opened its device.");

    public HttpClient Node { get; private set; } = null!;

    public static FaultyDeviceSite Start(long deviceBytes = 64L * 1024 * 1024)
    {
        var site = new FaultyDeviceSite();
        site.StartServices(deviceBytes);
        return site;
    }

    private void StartServices(long deviceBytes)
    {
        Directory.CreateDirectory(_root);
        var device = Path.Combine(_root, "node1", "device.img");
        DeviceFormatter.Format(device, deviceBytes);
        _node = new FaultyNodeFactory(new Dictionary<string, string>
        {
            ["Cluster:Secret"] = ComIOCluster.ClusterSecret,
            ["Node:Id"] = "node1",
            ["Storage:Devices:0:Path"] = device,
            ["Storage:Devices:0:Type"] = "file",
            ["Storage:MetadataPath"] = Path.Combine(_root, "node1", "meta"),
            ["Storage:ScrubIntervalHours"] = "0",
        }, _interceptor).Start();
        _api = new ServiceFactory<S3Endpoint>(new Dictionary<string, string>
        {
            ["Cluster:Secret"] = ComIOCluster.ClusterSecret,
            ["Auth:AdminAccessKey"] = ComIOCluster.AccessKey,
            ["Auth:AdminSecretKey"] = ComIOCluster.SecretKey,
            ["Auth:SecretEncryptionKey"] = ComIOCluster.SecretEncryptionKey,
            ["S3:Region"] = ComIOCluster.Region,
            ["Cluster:Nodes:0"] = "node1",
            ["Cluster:NodeUrls:node1"] = _node.BaseAddress.ToString(),
        }).Start();
        S3 = new AmazonS3Client(new BasicAWSCredentials(ComIOCluster.AccessKey, ComIOCluster.SecretKey), new AmazonS3Config
        {
            ServiceURL = _api.BaseAddress.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = ComIOCluster.Region,
            MaxErrorRetry = 0,
        });
        Node = new HttpClient { BaseAddress = _node.BaseAddress };
        Node.DefaultRequestHeaders.Add("x-comio-cluster-secret", ComIOCluster.ClusterSecret);
    }

    /// <summary>The node's <c>/health</c> document: overall status and the devices check's data.</summary>
    public async Task<(string Status, JsonElement Devices)> HealthAsync()
    {
        using var response = await Node.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = document.RootElement;
        return (root.GetProperty("status").GetString()!, root.GetProperty("checks").GetProperty("devices").Clone());
    }

    /// <summary>Bytes the engine has allocated on the device (device0.used_bytes in <c>/health</c>).</summary>
    public async Task<long> UsedBytesAsync()
    {
        var (_, devices) = await HealthAsync();
        return devices.GetProperty("data").GetProperty("device0.used_bytes").GetInt64();
    }

    public async Task<string> MetricsAsync() =>
        await Node.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        S3?.Dispose();
        Node?.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

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
