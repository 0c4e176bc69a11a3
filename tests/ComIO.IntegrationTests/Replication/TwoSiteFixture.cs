using Amazon.Runtime;
using Amazon.S3;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ComIO.IntegrationTests.Infrastructure;
using ComIO.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComIO.IntegrationTests.Replication;

/// <summary>
/// The real AppHost with two sites, <see cref="East"/> (two storage nodes) and <see cref="West"/> (one), each with its own
/// API service, Redis and replication worker, replicating to each other; private data folder, free loopback ports.
/// Timings are shortened so fault scenarios converge within a test: nodes re-publish outbox entries pending for 15 s,
/// workers reclaim entries idle for 10 s and back off at most 5 s (and never dead-letter within a test's outage).
/// </summary>
public sealed class TwoSiteFixture : IAsyncLifetime
{
    public const string East = "east";
    public const string West = "west";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "comio-it2-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Dictionary<string, (int S3, int Redis)> _ports = new()
    {
        [East] = (LoopbackPorts.Free(), LoopbackPorts.Free()),
        [West] = (LoopbackPorts.Free(), LoopbackPorts.Free()),
    };

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("Topology not started.");

    public ResourceLogCapture Logs { get; } = new();

    public Uri Endpoint(string site) => App.GetEndpoint($"{site}-api", "http");

    public int RedisPort(string site) => _ports[site].Redis;

    public async ValueTask InitializeAsync()
    {
        string[] args =
        [
            $"--ComIO:DataDirectory={_dataDirectory}",
            $"--Sites:0:Name={East}",
            $"--Sites:0:S3Port={_ports[East].S3}",
            $"--Sites:0:RedisPort={_ports[East].Redis}",
            "--Sites:0:Nodes=2",
            "--Sites:0:DeviceSizeMiB=1024",
            $"--Sites:1:Name={West}",
            $"--Sites:1:S3Port={_ports[West].S3}",
            $"--Sites:1:RedisPort={_ports[West].Redis}",
            "--Sites:1:Nodes=1",
            "--Sites:1:DeviceSizeMiB=1024",
            $"--Parameters:admin-access-key={TopologyFixture.AccessKey}",
            $"--Parameters:admin-secret-key={TopologyFixture.SecretKey}",
            $"--Parameters:cluster-secret={TopologyFixture.ClusterSecret}",
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ComIO_AppHost>(args, (options, _) => options.DisableDashboard = true);
        builder.Services.AddSingleton<ILoggerProvider>(Logs);
        builder.Services.AddLogging(logging => logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("ComIO.AppHost.Resources", LogLevel.Warning));
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            project.Annotations.Add(new EnvironmentCallbackAnnotation(env =>
            {
                env["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information";
                env["Logging__LogLevel__ComIO.ApiService.Requests"] = "Debug";
                env["Replication__RepublishAfter"] = "00:00:15";
                env["Replication__ClaimIdleTime"] = "00:00:10";
                env["Replication__MaxBackoff"] = "00:00:05";
                env["Replication__MaxAttempts"] = "500";
                env["Replication__MultipartThreshold"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
                env["Replication__PartSize"] = (5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }));
        }

        using var cts = new CancellationTokenSource(StartTimeout);
        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        foreach (var resource in Resources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cts.Token);
        }
    }

    /// <summary>Every project resource of the two sites.</summary>
    public static IReadOnlyList<string> Resources { get; } =
        [$"{East}-node1", $"{East}-node2", $"{West}-node1", $"{East}-api", $"{West}-api", $"{East}-replication", $"{West}-replication"];

    public AmazonS3Client Client(string site) =>
        new(new BasicAWSCredentials(TopologyFixture.AccessKey, TopologyFixture.SecretKey), new AmazonS3Config
        {
            ServiceURL = Endpoint(site).ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            Timeout = TimeSpan.FromMinutes(2),
            MaxErrorRetry = 0,
        });


    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("COMIO_TOPOLOGY_LOGS") is { Length: > 0 } logDirectory)
        {
            Logs.WriteTo(Path.Combine(logDirectory, "two-sites"));
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The two-site topology is shared by the replication tests (it costs over a minute to start on 2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class TwoSiteCollection : ICollectionFixture<TwoSiteFixture>
{
    public const string Name = "two-sites";
}
