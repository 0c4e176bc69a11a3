using Amazon.Runtime;
using Amazon.S3;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ComIO.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the real AppHost topology (one site: two API service replicas, two storage nodes on device image files, Redis and the
/// replication worker) on a private data folder and free loopback ports, so it can run beside `make run`. Restartable
/// on the same data folder to prove durability. Cleans up its processes and files.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    public const string AccessKey = "comioadmin";
    public const string SecretKey = "integration-secret-key";

    /// <summary>Cluster secret of the test topology, so tests can call the nodes' internal API (scrub) as the API service does.</summary>
    public const string ClusterSecret = "integration-cluster-secret";

    /// <summary>How far ahead the storage nodes' lifecycle scanners see the clock.</summary>
    public static readonly TimeSpan LifecycleTimeOffset = TimeSpan.FromDays(10);
    public const string Site = "east";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "comio-it-" + Guid.NewGuid().ToString("N")[..8]);

    // Free ports chosen once per fixture, so several test runs (and `make run`) can share the machine; kept across restarts.
    private readonly int _s3Port = LoopbackPorts.Free();
    private readonly int _redisPort = LoopbackPorts.Free();
    private DistributedApplication? _app;

    public Uri S3Endpoint { get; private set; } = new("http://localhost:18080");

    public string DataDirectory => _dataDirectory;

    /// <summary>Console lines of every resource, across restarts.</summary>
    public ResourceLogCapture Logs { get; } = new();

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Topology not started.");

    public async ValueTask InitializeAsync() => await StartAsync();

    public async Task StartAsync()
    {
        string[] args =
        [
            $"--ComIO:DataDirectory={_dataDirectory}",
            $"--Sites:0:Name={Site}",
            $"--Sites:0:S3Port={_s3Port}",
            $"--Sites:0:RedisPort={_redisPort}",
            "--Sites:0:Nodes=2",
            "--Sites:0:ApiReplicas=2", // every test also proves the API service holds no per-replica state
            "--Sites:0:DeviceSizeMiB=1024",
            $"--Parameters:admin-access-key={AccessKey}",
            $"--Parameters:admin-secret-key={SecretKey}",
            $"--Parameters:cluster-secret={ClusterSecret}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ComIO_AppHost>(args, (options, _) => options.DisableDashboard = true);
        builder.Services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        // Resource logs go to Logs (tests read them); echoing them all to the console made the test run's output exceed
        // what `dotnet test` can hold (over 1 G characters with the 100,000-key listing): the console shows warnings only.
        builder.Services.AddLogging(logging => logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("ComIO.AppHost.Resources", Microsoft.Extensions.Logging.LogLevel.Warning));
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            // Services log requests at Warning by default; tests read request lines (with trace ids) from the logs.
            project.Annotations.Add(new EnvironmentCallbackAnnotation(env =>
            {
                env["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
                env["Logging__LogLevel__ComIO.ApiService.Requests"] = "Debug";
                // Lifecycle scans (triggered by tests through the nodes' run endpoint) see the clock 10 days ahead, so
                // rules with day counts below that are due; buckets without rules are unaffected.
                env["Lifecycle__TimeOffset"] = LifecycleTimeOffset.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            }));
        }

        using var cts = new CancellationTokenSource(StartTimeout);
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var resource in new[] { $"{Site}-node1", $"{Site}-node2", $"{Site}-api", $"{Site}-replication" })
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }

        S3Endpoint = _app.GetEndpoint($"{Site}-api", "http");
    }

    /// <summary>Stops every process of the topology and starts it again on the same data folder.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public AmazonS3Client CreateClient(string? secretKey = null) =>
        new(new BasicAWSCredentials(AccessKey, secretKey ?? SecretKey), new AmazonS3Config
        {
            ServiceURL = S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            Timeout = TimeSpan.FromMinutes(2),
            MaxErrorRetry = 0,
        });


    public Task<ResourceEvent> WaitForRunningAsync(string resource, CancellationToken ct) =>
        App.ResourceNotifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running, ct);

    private async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
