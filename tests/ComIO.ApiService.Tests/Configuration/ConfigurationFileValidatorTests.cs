using ComIO.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ComIO.ApiService.Tests.Configuration;

/// <summary>The YAML configuration file's schema check: every problem is one line <c>file:line: key: message</c>.</summary>
public sealed class ConfigurationFileValidatorTests : IDisposable
{
    private const string File = "comio.yaml";
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Check_ExampleFile_IsValid()
    {
        var example = Path.Combine(RepositoryRoot(), "configs", "config.yaml.example");
        Assert.Null(ConfigurationFileValidator.Check(example, System.IO.File.ReadAllText(example)));
    }

    [Fact]
    public void Check_SeedDefaultConfig_IsValid()
    {
        const string seed = """
            server:
              host: 0.0.0.0
              port: 8080
              read_timeout: 30s
              write_timeout: 30s
            storage:
              devices:
                - path: /dev/nvme1n1
                  type: block
                - path: ./data/device.img
                  type: file
              block_size: 4096
            replication:
              enabled: false
              nodes:
                - address: http://replica1:8080
              sync_interval: 60s
            auth:
              enabled: true
              admin_access_key: admin
              admin_secret_key: admin-secret
            logging:
              level: info
              format: json
            """;
        Assert.Null(ConfigurationFileValidator.Check(File, seed));
    }

    [Fact]
    public void Check_UnknownKey_NamesKeyAndLine()
    {
        const string yaml = """
            server:
              host: 0.0.0.0
              prot: 8080
            """;
        Assert.Equal(
            "comio.yaml:3: server.prot: unknown key (server accepts: host, port, read_timeout, write_timeout)",
            ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_UnknownTopLevelSection_NamesKeyAndLine()
    {
        const string yaml = """
            # comment
            server:
              port: 8080

            storrage:
              block_size: 4096
            """;
        var error = ConfigurationFileValidator.Check(File, yaml);
        Assert.StartsWith("comio.yaml:5: storrage: unknown key (top-level sections: server, storage, ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownKeyInListItem_NamesIndex()
    {
        const string yaml = """
            storage:
              devices:
                - path: /a.img
                - path: /b.img
                  kind: file
            """;
        Assert.Equal("comio.yaml:5: storage.devices[1].kind: unknown key (storage.devices[1] accepts: path, type)", ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_WrongType_NamesKeyAndLine()
    {
        const string yaml = """
            server:
              host: 127.0.0.1
              port: eighty
            """;
        Assert.Equal("comio.yaml:3: server.port: 'eighty' is not a TCP port (0-65535)", ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_ValueWhereListExpected_NamesKeyAndLine()
    {
        const string yaml = """
            storage:
              block_size: 4096
              devices: /dev/sda
            """;
        Assert.Equal("comio.yaml:3: storage.devices: expected a list (- item lines or [a, b]), found '/dev/sda'", ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_ListWhereValueExpected_NamesKeyAndLine()
    {
        const string yaml = """
            replication:
              enabled:
                - true
            """;
        Assert.Equal("comio.yaml:3: replication.enabled: expected true or false, found a list", ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_BadDeviceType_NamesKeyAndLine()
    {
        const string yaml = """
            storage:
              devices:
                - path: ./data/device0.img
                  type: file
                - path: /dev/st0
                  type: tape
            """;
        Assert.Equal("comio.yaml:6: storage.devices[1].type: 'tape' is not valid; use 'file' or 'block'", ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_BadFirstDeviceType_NamesKeyAndLine()
    {
        const string yaml = """
            storage:
              devices:
                - path: /dev/st0
                  type: tape
            """;
        Assert.Equal("comio.yaml:4: storage.devices[0].type: 'tape' is not valid; use 'file' or 'block'", ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_NegativePort_NamesKeyAndLine()
    {
        const string yaml = """
            server:
              port: -1
            """;
        Assert.Equal("comio.yaml:2: server.port: '-1' is not a TCP port (0-65535)", ConfigurationFileValidator.Check(File, yaml));
    }

    [Theory]
    [InlineData("storage:\n  block_size: 1000\n", "comio.yaml:2: storage.block_size: '1000' is not a power of two between 512 and 65536")]
    [InlineData("auth:\n  enabled: yes\n", "comio.yaml:2: auth.enabled: 'yes' is not true or false")]
    [InlineData("replication:\n  sync_interval: 5min\n", "comio.yaml:2: replication.sync_interval: unknown duration unit 'min' in '5min' (use ms, s, m or h)")]
    [InlineData("replication:\n  nodes:\n    - address: west:8080\n", "comio.yaml:3: replication.nodes[0].address: 'west:8080' is not an absolute http:// or https:// URL")]
    [InlineData("logging:\n  level: verbose\n", "comio.yaml:2: logging.level: 'verbose' is not one of debug, info, warn, error")]
    [InlineData("cluster:\n  node_urls:\n    n1: http://10.0.0.1:8081\n    n2: nowhere\n", "comio.yaml:4: cluster.node_urls.n2: 'nowhere' is not an absolute http:// or https:// URL")]
    [InlineData("sites:\n  - name: East\n", "comio.yaml:2: sites[0].name: 'East' is not a valid name (lower-case letters, digits and hyphens)")]
    [InlineData("sites:\n  - name: east\n    s3_port: 0\n", "comio.yaml:3: sites[0].s3_port: '0' is not a TCP port (1-65535)")]
    [InlineData("server:\n  port: 1\n  Port: 2\n", "comio.yaml:3: server.Port: set twice")]
    [InlineData("storage:\n  devices:\n    - type: file\n", "comio.yaml:3: storage.devices[0].path: required, but not set")]
    [InlineData("replication:\n  nodes:\n    - address: http://west:8080\n    - {}\n", "comio.yaml:4: replication.nodes[1].address: required, but not set")]
    [InlineData("auth:\n  secret_encryption_key: c2hvcnQ=\n", "comio.yaml:2: auth.secret_encryption_key: not base64 of 32 bytes (generate one with: openssl rand -base64 32)")]
    [InlineData("server: 8080\n", "comio.yaml:1: server: expected a section (key: value lines), found '8080'")]
    public void Check_InvalidValue_NamesKeyAndLine(string yaml, string expected) =>
        Assert.Equal(expected, ConfigurationFileValidator.Check(File, yaml));

    [Fact]
    public void Check_KeysIgnoreCaseAndUnderscores_LikeTheBinder()
    {
        const string yaml = """
            Storage:
              BlockSize: 4096
              metadata_path: /m
              formatsizemib: 64
            """;
        Assert.Null(ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_EmptyValuesAndSections_AreUnset()
    {
        const string yaml = """
            server:
              port:
            storage:
            replication:
              nodes: []
            """;
        Assert.Null(ConfigurationFileValidator.Check(File, yaml));
        Assert.Null(ConfigurationFileValidator.Check(File, ""));
    }

    [Fact]
    public void Check_Sites_AcceptsTheTopologyFormat()
    {
        const string yaml = """
            sites:
              - name: east
                s3_port: 8080
                redis_port: 6390
                nodes: 3
                device_size_mib: 1024
                api_replicas: 2
                device_paths: [/dev/nvme1n1, "", /dev/nvme2n1]
              - name: west
                s3_port: 8081
                redis_port: 6391
            """;
        Assert.Null(ConfigurationFileValidator.Check(File, yaml));
    }

    [Fact]
    public void Check_SyntaxError_NamesLine()
    {
        const string yaml = "server:\n  port: 8080\n  host: [unclosed\n";
        var error = ConfigurationFileValidator.Check(File, yaml);
        Assert.NotNull(error);
        Assert.Matches(@"^comio\.yaml:[34]: not valid YAML: ", error);
    }

    [Fact]
    public void AddComIOConfigurationFile_InvalidFile_ThrowsOneLineWithPathLineAndKey()
    {
        var path = Path.Combine(_dir, "bad.yaml");
        System.IO.File.WriteAllText(path, "server:\n  port: 8080\nstorage:\n  devices:\n    - path: /dev/st0\n      type: tape\n");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["config"] = path });

        var error = Assert.Throws<InvalidConfigurationException>(() => builder.AddComIOConfigurationFile());
        Assert.Equal($"{path}:6: storage.devices[0].type: 'tape' is not valid; use 'file' or 'block'", error.Message);
    }

    [Fact]
    public void AddComIOConfigurationFile_ValidFile_BindsSnakeCaseKeys()
    {
        var path = Path.Combine(_dir, "good.yaml");
        System.IO.File.WriteAllText(path, "storage:\n  block_size: 8192\nsites:\n  - name: east\n    s3_port: 9000\n");
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["config"] = path });

        builder.AddComIOConfigurationFile();
        Assert.Equal("8192", builder.Configuration["Storage:BlockSize"]);
        Assert.Equal("9000", builder.Configuration["Sites:0:S3Port"]);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "ComIO.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ComIO.sln not found above the test binaries");
    }
}
