using System.Diagnostics;
using ComIO.AppHost.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ComIO.IntegrationTests.Configuration;

/// <summary>
/// The AppHost's topology from a YAML file (<c>--config</c> / <c>COMIO_CONFIG</c>): the file's <c>sites</c> list and
/// credentials, validated like every service's file; without a file the appsettings <c>ComIO</c> section still applies.
/// </summary>
public sealed class TopologyConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-topology-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_WithoutFile_ReadsComIOSection()
    {
        var configuration = AppSettings();

        var topology = TopologyConfiguration.Load(configuration);

        var site = Assert.Single(topology.Sites);
        Assert.Equal(("east", 8080, 6390, 2), (site.Name, site.S3Port, site.RedisPort, site.Nodes));
    }

    [Fact]
    public void Load_FileWithSites_ReplacesComIOSitesAndParameters()
    {
        var path = Write("""
            auth:
              admin_access_key: from-file
              admin_secret_key: from-file-secret
            cluster:
              secret: cluster-from-file
            sites:
              - name: east
                s3_port: 9080
                redis_port: 6490
                nodes: 3
                device_size_mib: 512
                device_paths: [/dev/nvme1n1]
              - name: west
                s3_port: 9081
                redis_port: 6491
                api_replicas: 2
            """);
        var configuration = AppSettings(("config", path));

        var topology = TopologyConfiguration.Load(configuration);

        Assert.Equal(["east", "west"], topology.Sites.Select(s => s.Name));
        var east = topology.Sites[0];
        Assert.Equal((9080, 6490, 3, 512L, 1), (east.S3Port, east.RedisPort, east.Nodes, east.DeviceSizeMiB, east.ApiReplicas));
        Assert.Equal(["/dev/nvme1n1"], east.DevicePaths);
        var west = topology.Sites[1];
        Assert.Equal((9081, 6491, 2, 2), (west.S3Port, west.RedisPort, west.Nodes, west.ApiReplicas));
        Assert.Equal("from-file", configuration["Parameters:admin-access-key"]);
        Assert.Equal("from-file-secret", configuration["Parameters:admin-secret-key"]);
        Assert.Equal("cluster-from-file", configuration["Parameters:cluster-secret"]);
        Assert.Equal("../data", topology.DataDirectory);
    }

    [Fact]
    public void Load_TopologyExample_DescribesEastAndWest()
    {
        var example = Path.Combine(RepositoryRoot(), "configs", "topology.yaml.example");

        var topology = TopologyConfiguration.Load(AppSettings(("config", example)));

        Assert.Equal([("east", 8080, 6390), ("west", 8081, 6391)], topology.Sites.Select(s => (s.Name, s.S3Port, s.RedisPort)));
    }

    [Fact]
    public void Load_ServiceExample_KeepsComIOSites()
    {
        var example = Path.Combine(RepositoryRoot(), "configs", "config.yaml.example");

        var topology = TopologyConfiguration.Load(AppSettings(("config", example)));

        Assert.Equal("east", Assert.Single(topology.Sites).Name);
    }

    [Fact]
    public void Load_FileWithoutSites_KeepsComIOSites()
    {
        var path = Write("auth:\n  admin_access_key: k\n");
        var topology = TopologyConfiguration.Load(AppSettings(("config", path)));

        Assert.Equal("east", Assert.Single(topology.Sites).Name);
    }

    [Fact]
    public void Load_InvalidSiteValue_ThrowsWithFileLineAndKey()
    {
        var path = Write("sites:\n  - name: east\n    nodes: many\n");

        var error = Assert.Throws<InvalidConfigurationException>(() => TopologyConfiguration.Load(AppSettings(("config", path))));

        Assert.Equal($"{path}:3: sites[0].nodes: 'many' is not a whole number from 1 to 64", error.Message);
    }

    [Fact]
    public void Load_DuplicateSiteNameOrPort_Throws()
    {
        var names = Write("sites:\n  - name: east\n    s3_port: 8080\n    redis_port: 6390\n  - name: east\n    s3_port: 8081\n    redis_port: 6391\n");
        Assert.Equal("sites[1].name: 'east' is already the name of sites[0]",
            Assert.Throws<InvalidConfigurationException>(() => TopologyConfiguration.Load(AppSettings(("config", names)))).Message);

        var ports = Write("sites:\n  - name: east\n  - name: west\n    redis_port: 6391\n");
        Assert.StartsWith("sites[1]: s3_port 8080 and redis_port 6391 must differ",
            Assert.Throws<InvalidConfigurationException>(() => TopologyConfiguration.Load(AppSettings(("config", ports)))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppHost_InvalidConfigFile_Exits78WithOneLine()
    {
        var path = Write("sites:\n  - name: east\n    s3_prot: 8080\n");
        var appHostBin = Path.GetDirectoryName(typeof(TopologyOptions).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(appHostBin, "ComIO.AppHost.dll"));
        start.ArgumentList.Add("--config");
        start.ArgumentList.Add(path);
        start.Environment.Remove("COMIO_CONFIG");

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdOut = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stdErr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdOut;
        Assert.Equal(78, process.ExitCode);
        var line = Assert.Single((await stdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"configuration error: {path}:3: sites[0].s3_prot: unknown key (sites[0] accepts: name, s3_port, ", line, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ComIO.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ComIO.sln not found above the test binaries");
    }

    private static ConfigurationManager AppSettings(params (string Key, string Value)[] extra)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Parameters:admin-access-key"] = "comioadmin",
            ["ComIO:DataDirectory"] = "../data",
            ["ComIO:Sites:0:Name"] = "east",
            ["ComIO:Sites:0:S3Port"] = "8080",
            ["ComIO:Sites:0:RedisPort"] = "6390",
            ["ComIO:Sites:0:Nodes"] = "2",
        });
        configuration.AddInMemoryCollection(extra.ToDictionary(e => e.Key, e => (string?)e.Value));
        return configuration;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, $"config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
