using System.Globalization;
using System.Security.Cryptography;
using ComIO.ApiService.Hosting;
using ComIO.Cli.Output;
using ComIO.ReplicationWorker.Hosting;
using ComIO.StorageNode.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ComIO.Cli.Server;

/// <summary>
/// <c>comio server</c>: one process hosting a storage node (the real <c>AddComIOStorageNode</c>/<c>MapComIOStorageNode</c>
/// composition, on 127.0.0.1 with an ephemeral port) and the S3 API service (<c>AddComIOApiService</c>/
/// <c>MapComIOApiService</c>, on <c>server.host:server.port</c>) whose only node is that one. Both read the same YAML file
/// through <c>AddComIOConfigurationFile</c>, then environment variables; the cluster secret is random per run (the node
/// is reachable only from this process's API), the key encrypting user secrets comes from <c>auth.secret_encryption_key</c>
/// or a file created once next to the metadata. Relative paths in the file are relative to the file's folder.
/// </summary>
public sealed class ComioServer
{
    public const string DefaultNodeId = "local";

    private readonly string _configPath;
    private readonly bool _format;

    public ComioServer(string configPath, bool format)
    {
        _configPath = Path.GetFullPath(configPath);
        _format = format;
    }

    /// <summary>Starts both hosts, prints the endpoint on stderr, and runs until <paramref name="ct"/> or a host stops.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (!File.Exists(_configPath))
        {
            throw new CliException($"configuration error: {_configPath} does not exist", ExitCodes.Configuration);
        }

        var clusterSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var nodeOverrides = new Dictionary<string, string?> { ["Cluster:Secret"] = clusterSecret };
        WebApplication? node = null;
        WebApplication? api = null;
        WebApplication? worker = null;
        try
        {
            // Storage node: the file's storage section, with paths made absolute and a default metadata folder.
            var nodeBuilder = CreateBuilder(nodeOverrides, out var settings);
            var storage = ResolveStorage(nodeBuilder.Configuration);
            foreach (var (key, value) in storage)
            {
                nodeOverrides[key] = value;
            }

            if (_format)
            {
                nodeOverrides["Storage:Format"] = "true";
            }

            nodeBuilder.Configuration.AddInMemoryCollection(nodeOverrides);
            var nodeId = nodeBuilder.Configuration["Node:Id"] is { Length: > 0 } id ? id : DefaultNodeId;
            var site = nodeBuilder.Configuration["Site:Name"] is { Length: > 0 } siteName ? siteName : "local";
            nodeBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Node:Id"] = nodeId, ["Node:Site"] = site });
            nodeBuilder.WebHost.UseUrls("http://127.0.0.1:0");
            nodeBuilder.AddComIOStorageNode();
            node = nodeBuilder.Build();
            node.MapDefaultEndpoints();
            node.MapComIOStorageNode();
            await node.StartAsync(ct);
            var nodeUrl = node.Urls.First();

            // API service: its only node is the in-process one.
            var metadataPath = storage["Storage:MetadataPath"]!;
            var apiOverrides = new Dictionary<string, string?>
            {
                ["Cluster:Secret"] = clusterSecret,
                ["Cluster:Nodes:0"] = nodeId,
                [$"Cluster:NodeUrls:{nodeId}"] = nodeUrl,
            };
            foreach (var (name, endpoint) in settings.ReplicationSites)
            {
                apiOverrides[$"Replication:Sites:{name}:Endpoint"] = endpoint;
            }
            var apiBuilder = CreateBuilder(apiOverrides, out _);
            if (string.IsNullOrEmpty(apiBuilder.Configuration["Auth:SecretEncryptionKey"]))
            {
                apiBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Auth:SecretEncryptionKey"] = EncryptionKeyFile.LoadOrCreate(Path.Combine(metadataPath, EncryptionKeyFile.FileName)),
                });
            }

            if (string.IsNullOrEmpty(apiBuilder.Configuration["Encryption:MasterKey"]) && string.IsNullOrEmpty(apiBuilder.Configuration["Encryption:MasterKeyFile"]))
            {
                // SSE-S3 master key: kept beside the metadata (a local disk), never on the data device.
                apiBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Encryption:MasterKey"] = EncryptionKeyFile.LoadOrCreate(Path.Combine(metadataPath, "sse-master.key")),
                });
            }

            apiBuilder.Configuration.AddInMemoryCollection(apiOverrides);
            apiBuilder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{settings.Host}:{settings.Port}"));
            apiBuilder.AddComIOApiService();
            api = apiBuilder.Build();
            api.MapDefaultEndpoints();
            api.MapComIOApiService();
            await api.StartAsync(ct);

            var logger = api.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ComIO.Server");
            if (settings.ReplicationEnabled)
            {
                worker = await StartReplicationWorkerAsync(settings, clusterSecret, nodeId, nodeUrl, api, logger, ct);
            }

            Console.Error.WriteLine($"comio server: S3 API on {string.Join(", ", api.Urls)}; storage node '{nodeId}' on {nodeUrl} with {storage.Count(kv => kv.Key.EndsWith(":Path", StringComparison.Ordinal))} device(s); metadata in {metadataPath}");

            var stopped = new TaskCompletionSource();
            using var onCancel = ct.Register(() => stopped.TrySetResult());
            using var onApiStop = api.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
            using var onNodeStop = node.Lifetime.ApplicationStopping.Register(() => stopped.TrySetResult());
            await stopped.Task;
            Console.Error.WriteLine("comio server: stopping");
        }
        catch (Exception ex) when (ex is InvalidConfigurationException or Microsoft.Extensions.Options.OptionsValidationException or FormatException)
        {
            throw new CliException("configuration error: " + ex.Message.ReplaceLineEndings(" "), ExitCodes.Configuration);
        }
        catch (ComIO.Storage.StorageFormatException ex)
        {
            throw new CliException($"storage: {ex.Message.ReplaceLineEndings(" ")} (to create and format images without a ComIO superblock: `comio server --format`, `storage.format: true` or `comio device format PATH`)");
        }
        finally
        {
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (worker is not null)
            {
                await worker.StopAsync(stopTimeout.Token);
                await worker.DisposeAsync();
            }

            if (api is not null)
            {
                await api.StopAsync(stopTimeout.Token);
                await api.DisposeAsync();
            }

            if (node is not null)
            {
                await node.StopAsync(stopTimeout.Token);
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// With <c>replication.enabled</c>: the replication worker (the real <c>AddReplicationWorker</c> composition) reading
    /// this server's Redis stream (<c>connection_strings.redis</c>, which also turns on the node's outbox relay), the
    /// source versions through this server's S3 API and reporting to the in-process node; destinations are
    /// <c>replication.sites</c> (or the seed's <c>replication.nodes</c>, named peer1, peer2, …). Without Redis or
    /// destinations it logs why nothing is replicated and returns null.
    /// </summary>
    private async Task<WebApplication?> StartReplicationWorkerAsync(ServerSettings settings, string clusterSecret, string nodeId, string nodeUrl, WebApplication api, ILogger logger, CancellationToken ct)
    {
        var probe = CreateBuilder([], out _).Configuration;
        if (string.IsNullOrEmpty(probe.GetConnectionString("redis")))
        {
            logger.LogWarning("replication.enabled is set but connection_strings.redis is not: changes are not replicated (the replication queue is a Redis stream)");
            return null;
        }

        if (settings.ReplicationSites.Count == 0)
        {
            logger.LogWarning("replication.enabled is set but no destination is configured (replication.sites or replication.nodes): nothing is replicated");
            return null;
        }

        var apiUri = new Uri(api.Urls.First());
        var source = apiUri.Host is "0.0.0.0" or "[::]" or "+" or "*" ? new UriBuilder(apiUri) { Host = "127.0.0.1" }.Uri : apiUri;
        var overrides = new Dictionary<string, string?>
        {
            ["Cluster:Secret"] = clusterSecret,
            ["Replication:SourceEndpoint"] = source.ToString(),
            ["Replication:AccessKey"] = probe["Auth:AdminAccessKey"],
            ["Replication:SecretKey"] = probe["Auth:AdminSecretKey"],
            [$"Services:{nodeId}:http:0"] = nodeUrl,
        };
        foreach (var (name, endpoint) in settings.ReplicationSites)
        {
            overrides[$"Replication:Sites:{name}:Endpoint"] = endpoint;
        }

        var builder = CreateBuilder(overrides, out _);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddRedisClient("redis");
        builder.Services.AddReplicationWorker();
        var worker = builder.Build();
        worker.MapDefaultEndpoints();
        await worker.StartAsync(ct);
        logger.LogInformation("Replication worker running: destinations {Destinations}", string.Join(", ", settings.ReplicationSites.Select(s => $"{s.Key}={s.Value}")));
        return worker;
    }

    private WebApplicationBuilder CreateBuilder(Dictionary<string, string?> overrides, out ServerSettings settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });

        // Only this server's sources: defaults, the YAML file, environment variables, then the fixed overrides.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.Extensions.Http"] = "Warning",
            ["Logging:LogLevel:System.Net.Http"] = "Warning",
            ["config"] = _configPath,
        });
        builder.AddComIOConfigurationFile();
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(overrides);
        settings = ServerSettings.Read(builder.Configuration);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = settings.LogLevel.ToString(),
        });

        builder.AddServiceDefaults();
        if (settings.LogFormat == "text")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }

        var read = settings.ReadTimeout;
        var write = settings.WriteTimeout;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (read is { } r && r > TimeSpan.Zero)
            {
                kestrel.Limits.RequestHeadersTimeout = r;
            }

            if (write is { } w && w > TimeSpan.Zero)
            {
                kestrel.Limits.MinResponseDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: w);
            }
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }

    /// <summary>Device and metadata paths made absolute (relative to the file), with the default metadata folder.</summary>
    private Dictionary<string, string?> ResolveStorage(IConfiguration configuration)
    {
        var baseDirectory = Path.GetDirectoryName(_configPath)!;
        var result = new Dictionary<string, string?>();
        var devices = configuration.GetSection("Storage:Devices").GetChildren().ToList();
        string? firstFileDevice = null;
        foreach (var device in devices)
        {
            if (device["Path"] is not { Length: > 0 } path)
            {
                continue; // the node's validator reports the missing path with its key
            }

            var absolute = Path.GetFullPath(path, baseDirectory);
            result[$"Storage:Devices:{device.Key}:Path"] = absolute;
            if ((device["Type"] ?? "file") == "file")
            {
                firstFileDevice ??= absolute;
            }
        }

        var metadata = configuration["Storage:MetadataPath"];
        if (string.IsNullOrWhiteSpace(metadata))
        {
            metadata = firstFileDevice is not null
                ? Path.Combine(Path.GetDirectoryName(firstFileDevice)!, "meta")
                : devices.Count == 0
                    ? null
                    : throw new FormatException("storage.metadata_path: required when every device is a block device (a local folder for the metadata store)");
        }

        if (metadata is null)
        {
            throw new FormatException("storage.devices: at least one device is required");
        }

        result["Storage:MetadataPath"] = Path.GetFullPath(metadata, baseDirectory);
        return result;
    }
}
