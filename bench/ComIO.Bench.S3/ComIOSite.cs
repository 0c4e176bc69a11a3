using ComIO.ApiService.Hosting;
using ComIO.ApiService.Nodes;
using ComIO.Storage;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ComIO.Bench.S3;

/// <summary>
/// A ComIO site in this process: <c>nodes</c> storage nodes (one O_DIRECT file device each, under <c>root</c>) and the
/// API service in front of them, each a real <see cref="WebApplication"/> on loopback Kestrel composed exactly as the
/// services' <c>Program</c> composes them (<c>AddComIOStorageNode</c>/<c>AddComIOApiService</c>), without the service
/// defaults (OpenTelemetry exporters, health endpoints), which have no collector here. The content root is the
/// harness's own directory, as a deployed service's is its application directory (the configuration file watcher
/// then watches a quiet folder, not the working directory). Existing device images are
/// reformatted in place (so an image laid out by fio stays allocated), missing ones are created sparse.
/// </summary>
internal sealed class ComIOSite : IAsyncDisposable
{
    public const string AccessKey = "AKIDCOMIOBENCH000001";
    public const string SecretKey = "comio-bench/Secret+Key=0123456789abcdefgh";
    public const string Region = "us-east-1";
    public const string ClusterSecret = "comio-bench-cluster-secret";
    public const string SecretEncryptionKey = "Y29taW8tc2VydmljZS10ZXN0cy1lbmNyeXB0aW9uLWs=";

    private readonly List<WebApplication> _nodes = [];
    private WebApplication? _api;
    private long _nodeRequests;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<string> NodeIds { get; private set; } = [];

    /// <summary>Requests the storage nodes have received (internal API calls), for calls-per-S3-request diagnostics.</summary>
    public long NodeRequests => Interlocked.Read(ref _nodeRequests);

    /// <summary>Each node's engines, by node id (for filling a bucket directly through the engine).</summary>
    public Dictionary<string, NodeEngines> Engines { get; } = new(StringComparer.Ordinal);

    /// <summary>The API service's container (its node client, placement).</summary>
    public IServiceProvider ApiServices => _api!.Services;

    /// <summary>The API service's placement (which node owns a key).</summary>
    public ClusterNodes Cluster => _api!.Services.GetRequiredService<ClusterNodes>();

    public static async Task<ComIOSite> StartAsync(string root, int nodeCount, long deviceBytes)
    {
        var site = new ComIOSite();
        var api = ApiSettings();
        var ids = new List<string>();
        for (var i = 0; i < nodeCount; i++)
        {
            var id = $"node{i + 1}";
            ids.Add(id);
            var settings = NodeSettings(root, id, deviceBytes);
            var node = BuildNode(settings, onRequest: () => Interlocked.Increment(ref site._nodeRequests));
            await node.StartAsync();
            site._nodes.Add(node);
            site.Engines[id] = node.Services.GetRequiredService<NodeEngines>();
            api[$"Cluster:Nodes:{i}"] = id;
            api[$"Cluster:NodeUrls:{id}"] = AddressOf(node).ToString();
        }

        site.NodeIds = ids;
        site._api = BuildApi(api);
        await site._api.StartAsync();
        site.Endpoint = AddressOf(site._api);
        return site;
    }

    /// <summary>The API service's settings (without the node list).</summary>
    public static Dictionary<string, string?> ApiSettings() => new()
    {
        ["Cluster:Secret"] = ClusterSecret,
        ["Auth:AdminAccessKey"] = AccessKey,
        ["Auth:AdminSecretKey"] = SecretKey,
        ["Auth:SecretEncryptionKey"] = SecretEncryptionKey,
        ["S3:Region"] = Region,
        ["Encryption:MasterKey"] = "Y29taW8tYmVuY2gtc3NlLW1hc3Rlci1rZXktMzJieXQ=", // SSE-S3 (the sse benchmark)
    };

    /// <summary>A node's settings; formats its device image (in place if it exists).</summary>
    public static Dictionary<string, string?> NodeSettings(string root, string id, long deviceBytes)
    {
        var device = Path.Combine(root, id, "device.img");
        Directory.CreateDirectory(Path.GetDirectoryName(device)!);
        var meta = Path.Combine(root, id, "meta");
        if (Directory.Exists(meta))
        {
            Directory.Delete(meta, recursive: true);
        }

        DeviceFormatter.Format(device, deviceBytes, force: File.Exists(device));
        return new()
        {
            ["Cluster:Secret"] = ClusterSecret,
            ["Node:Id"] = id,
            ["Storage:Devices:0:Path"] = device,
            ["Storage:Devices:0:Type"] = "file",
            ["Storage:MetadataPath"] = meta,
        };
    }

    public static WebApplication BuildNode(IReadOnlyDictionary<string, string?> settings, string url = "http://127.0.0.1:0", Action? onRequest = null)
    {
        var builder = NewBuilder(settings, url);
        builder.AddComIOStorageNode();
        var app = builder.Build();
        if (onRequest is not null)
        {
            app.Use((context, next) =>
            {
                onRequest();
                return next(context);
            });
        }

        app.MapComIOStorageNode();
        return app;
    }

    public static WebApplication BuildApi(IReadOnlyDictionary<string, string?> settings, string url = "http://127.0.0.1:0", Action<HttpContext>? onRequest = null)
    {
        var builder = NewBuilder(settings, url);
        builder.AddComIOApiService();
        var app = builder.Build();
        if (onRequest is not null)
        {
            app.Use((context, next) =>
            {
                onRequest(context);
                return next(context);
            });
        }

        app.MapComIOApiService();
        return app;
    }

    public static Uri AddressOf(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
    }

    private static WebApplicationBuilder NewBuilder(IReadOnlyDictionary<string, string?> settings, string url)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries the JSON results
        builder.WebHost.UseUrls(url);
        return builder;
    }
}
