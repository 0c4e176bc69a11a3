using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ComIO.IntegrationTests.Infrastructure;
using ComIO.Testing;

namespace ComIO.IntegrationTests.Cli;

/// <summary>
/// <c>comio server --config</c> started from <c>configs/config.yaml.example</c> (host, port and format settings
/// overridden, paths relative to a temporary folder): real <c>/usr/bin/aws</c> and <c>comio</c> clients, a graceful
/// restart with data intact, and a 1 GiB upload with captured progress verified by SHA-256.
/// </summary>
public sealed partial class ComioServerTests : IDisposable
{
    private const string AccessKey = "comioadmin";
    private const string SecretKey = "comioadmin-secret-key-change-me";
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-server-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Server_FromExampleConfig_ServesAwsCli_AndKeepsDataAcrossRestart()
    {
        Assert.True(AwsCli.IsInstalled, "/usr/bin/aws is required (make setup)");
        var (config, endpoint) = await WriteConfigAsync(formatSizeMib: 1024);
        var payload = Path.Combine(_dir, "payload.bin");
        var data = RandomNumberGenerator.GetBytes(12 * 1024 * 1024); // above the aws CLI's 8 MiB multipart threshold
        await File.WriteAllBytesAsync(payload, data, Ct);

        await using (var server = await ComioServerProcess.StartAsync(config, Ct, "--format"))
        {
            Assert.Contains("Formatting device", server.Output, StringComparison.Ordinal);
            await Aws(endpoint, "s3", "mb", "s3://srv");
            await Aws(endpoint, "s3", "cp", payload, "s3://srv/dir/payload.bin");
            Assert.Contains("dir/payload.bin", await Aws(endpoint, "s3", "ls", "s3://srv", "--recursive"), StringComparison.Ordinal);

            using var status = JsonDocument.Parse((await Comio(endpoint, "admin", "status", "--json")).StdOut);
            var node = Assert.Single(status.RootElement.GetProperty("nodes").EnumerateArray());
            Assert.Equal("local", node.GetProperty("id").GetString());
            Assert.True(node.GetProperty("healthy").GetBoolean(), node.ToString());
            Assert.True(node.GetProperty("usedBytes").GetInt64() >= data.Length, node.ToString());

            // A user created now must still authenticate after the restart (its secret is encrypted with the key file).
            await Comio(endpoint, "admin", "user", "create", "restart-user");
            Assert.Equal(0, await server.StopAsync(Ct));
            Assert.Contains("comio server: stopping", server.Output, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(_dir, "data", "meta", "secret-encryption.key")));
        await using (var restarted = await ComioServerProcess.StartAsync(config, Ct))
        {
            Assert.DoesNotContain("Formatting device", restarted.Output, StringComparison.Ordinal);
            var back = Path.Combine(_dir, "back.bin");
            await Aws(endpoint, "s3", "cp", "s3://srv/dir/payload.bin", back);
            Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(back, Ct)));
            Assert.Contains("restart-user", (await Comio(endpoint, "admin", "user", "list")).StdOut, StringComparison.Ordinal);
            Assert.Equal(0, await restarted.StopAsync(Ct));
        }
    }

    [Fact]
    public async Task Server_InvalidConfig_FailsWithOneLineNamingTheKey()
    {
        var (config, _) = await WriteConfigAsync(formatSizeMib: 64);
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(config, Ct)).Replace("type: file", "type: floppy", StringComparison.Ordinal), Ct);
        var result = await ComioCli.RunAsync(new Dictionary<string, string>(), Ct, [], "server", "--config", config, "--format");
        Assert.Equal(78, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("comio: configuration error:", line, StringComparison.Ordinal);
        Assert.Contains("storage.devices[0].type", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ObjectPut_OneGiB_ShowsProgress_AndRoundTripsByChecksum()
    {
        var (config, endpoint) = await WriteConfigAsync(formatSizeMib: 1536);
        var source = Path.Combine(_dir, "one-gib.bin");
        var expected = await WriteGibFileAsync(source);
        await using var server = await ComioServerProcess.StartAsync(config, Ct, "--format");
        await Comio(endpoint, "bucket", "create", "big");

        var clock = Stopwatch.StartNew();
        var put = await ComioCli.RunAsync(EnvFor(endpoint), TimeSpan.FromMinutes(3), Ct, null, "object", "put", "big/one-gib.bin", "--file", source, "--json");
        Assert.True(put.ExitCode == 0, put.Describe("object put 1 GiB"));
        var progress = put.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("put big/one-gib.bin: ", StringComparison.Ordinal)).ToList();
        Assert.True(progress.Count >= 2, put.Describe("(expected progress lines)"));
        Assert.Matches(ProgressLine(), progress[0]);
        Assert.Contains("1.0 GiB of 1.0 GiB (100%)", progress[^1], StringComparison.Ordinal);
        Assert.Contains("done in", progress[^1], StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(put.StdOut))
        {
            Assert.Equal(1L << 30, json.RootElement.GetProperty("size").GetInt64());
        }

        var back = Path.Combine(_dir, "one-gib.back");
        var get = await ComioCli.RunAsync(EnvFor(endpoint), TimeSpan.FromMinutes(3), Ct, null, "object", "get", "big/one-gib.bin", "--file", back);
        Assert.True(get.ExitCode == 0, get.Describe("object get 1 GiB"));
        Assert.Equal(1L << 30, new FileInfo(back).Length);
        await using (var stream = File.OpenRead(back))
        {
            Assert.Equal(expected, await SHA256.HashDataAsync(stream, Ct));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"1 GiB put + get: {clock.Elapsed.TotalSeconds:0.0} s; {progress.Count} progress lines, last: {progress[^1]}");
        Assert.Equal(0, await server.StopAsync(Ct));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>
    /// Two <c>comio server</c>s, each with its own <c>redis-server</c>: the first has <c>replication.enabled</c> and the
    /// seed's <c>replication.nodes</c> naming the second, so it runs the outbox relay and the replication worker in
    /// process; a bucket rule made with <c>comio replication enable</c> copies a PUT (same version id, same bytes,
    /// COMPLETED/REPLICA) and <c>comio replication resync</c> copies an object written before the rule.
    /// </summary>
    [Fact]
    public async Task Server_WithReplicationEnabled_ReplicatesToThePeerServer()
    {
        var (eastConfig, east) = await WriteConfigAsync(formatSizeMib: 256, "east");
        var (westConfig, west) = await WriteConfigAsync(formatSizeMib: 256, "west");
        await using var eastRedis = await RedisChildProcess.StartAsync(Path.Combine(_dir, "east"), ct: Ct);
        await using var westRedis = await RedisChildProcess.StartAsync(Path.Combine(_dir, "west"), ct: Ct);
        await File.AppendAllTextAsync(eastConfig, $"site:\n  name: east\nconnection_strings:\n  redis: 127.0.0.1:{eastRedis.Port}\n", Ct);
        await File.AppendAllTextAsync(westConfig, $"site:\n  name: west\nconnection_strings:\n  redis: 127.0.0.1:{westRedis.Port}\n", Ct);
        await File.WriteAllTextAsync(eastConfig, Replace(await File.ReadAllTextAsync(eastConfig, Ct), @"^  enabled: false", "  enabled: true").Replace("  nodes: []", $"  nodes:\n    - address: {west}", StringComparison.Ordinal), Ct);
        var before = Path.Combine(_dir, "before.bin");
        var after = Path.Combine(_dir, "after.bin");
        await File.WriteAllBytesAsync(before, RandomNumberGenerator.GetBytes(300_000), Ct);
        await File.WriteAllBytesAsync(after, RandomNumberGenerator.GetBytes(3_000_000), Ct);

        await using var eastServer = await ComioServerProcess.StartAsync(eastConfig, Ct, "--format");
        await using var westServer = await ComioServerProcess.StartAsync(westConfig, Ct, "--format");
        Assert.Contains("Replication worker running: destinations peer1=" + west, eastServer.Output, StringComparison.Ordinal);
        foreach (var endpoint in new[] { east, west })
        {
            await Aws(endpoint, "s3", "mb", "s3://pics");
            await Aws(endpoint, "s3api", "put-bucket-versioning", "--bucket", "pics", "--versioning-configuration", "Status=Enabled");
        }

        await Aws(east, "s3", "cp", before, "s3://pics/before.bin");
        await Comio(east, "replication", "enable", "pics", "--to", "peer1");
        var put = JsonDocument.Parse(await Aws(east, "s3api", "put-object", "--bucket", "pics", "--key", "after.bin", "--body", after)).RootElement;
        var resync = JsonDocument.Parse((await Comio(east, "replication", "resync", "pics", "--json")).StdOut).RootElement;
        Assert.Equal(1, resync.GetProperty("queued").GetInt64());

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        JsonElement head;
        while (true)
        {
            var result = await ExternalProcess.RunAsync(AwsCli.Path, ["--endpoint-url", west, "s3api", "head-object", "--bucket", "pics", "--key", "before.bin"], AwsEnvironment, TimeSpan.FromSeconds(30), Ct);
            if (result.ExitCode == 0 || DateTime.UtcNow > deadline)
            {
                Assert.True(result.ExitCode == 0, result.Describe("head-object before.bin on west"));
                break;
            }

            await Task.Delay(500, Ct);
        }

        head = JsonDocument.Parse(await Aws(west, "s3api", "head-object", "--bucket", "pics", "--key", "after.bin")).RootElement;
        Assert.Equal(put.GetProperty("VersionId").GetString(), head.GetProperty("VersionId").GetString());
        Assert.Equal("REPLICA", head.GetProperty("ReplicationStatus").GetString());
        var copy = Path.Combine(_dir, "copy.bin");
        await Aws(west, "s3", "cp", "s3://pics/after.bin", copy);
        Assert.Equal(SHA256.HashData(await File.ReadAllBytesAsync(after, Ct)), SHA256.HashData(await File.ReadAllBytesAsync(copy, Ct)));
        var source = JsonDocument.Parse(await Aws(east, "s3api", "head-object", "--bucket", "pics", "--key", "after.bin")).RootElement;
        Assert.Equal("COMPLETED", source.GetProperty("ReplicationStatus").GetString());
    }

    [GeneratedRegex(@"^put big/one-gib\.bin: [0-9.]+ (B|KiB|MiB|GiB) of 1\.0 GiB \([0-9]+%\), [0-9.]+ (B|KiB|MiB|GiB)/s, ETA [0-9]+s")]
    private static partial Regex ProgressLine();

    /// <summary>The example file with host/port/format settings replaced; its relative paths land in the temp folder.</summary>
    private async Task<(string Config, string Endpoint)> WriteConfigAsync(int formatSizeMib, string? subdirectory = null)
    {
        var folder = subdirectory is null ? _dir : Directory.CreateDirectory(Path.Combine(_dir, subdirectory)).FullName;
        var port = LoopbackPorts.Free();
        var example = await File.ReadAllTextAsync(Path.Combine(ComioCli.RepoRoot, "configs", "config.yaml.example"), Ct);
        var text = Replace(example, @"^  host: 0\.0\.0\.0", "  host: 127.0.0.1");
        text = Replace(text, @"^  port: 8080", $"  port: {port}");
        text = Replace(text, @"^  format_size_mib: 4096", $"  format_size_mib: {formatSizeMib}");
        text = Replace(text, @"^  scrub_interval_hours: 24", "  scrub_interval_hours: 0");
        var config = Path.Combine(folder, "config.yaml");
        await File.WriteAllTextAsync(config, text, Ct);
        return (config, $"http://127.0.0.1:{port}");
    }

    private static string Replace(string text, string pattern, string replacement)
    {
        var replaced = Regex.Replace(text, pattern, replacement, RegexOptions.Multiline);
        Assert.True(replaced != text, $"configs/config.yaml.example no longer matches /{pattern}/");
        return replaced;
    }

    /// <summary>Writes 1 GiB fast: one random MiB repeated, each copy stamped with its index so no two MiB are equal.</summary>
    private static async Task<byte[]> WriteGibFileAsync(string path)
    {
        var block = RandomNumberGenerator.GetBytes(1024 * 1024);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        for (long i = 0; i < 1024; i++)
        {
            BitConverter.TryWriteBytes(block.AsSpan(0, 8), i);
            hash.AppendData(block);
            await file.WriteAsync(block, Ct);
        }

        return hash.GetHashAndReset();
    }

    private static Dictionary<string, string> EnvFor(string endpoint) => new()
    {
        ["COMIO_ENDPOINT"] = endpoint,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["COMIO_CONFIG_DIR"] = Path.Combine(Path.GetTempPath(), "comio-server-noprofile"),
    };

    private static async Task<ComioResult> Comio(string endpoint, params string[] args)
    {
        var result = await ComioCli.RunAsync(EnvFor(endpoint), Ct, null, args);
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', args)));
        return result;
    }

    private static readonly Dictionary<string, string> AwsEnvironment = new()
    {
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["AWS_CONFIG_FILE"] = "/dev/null",
        ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
        ["AWS_PAGER"] = "",
    };

    private static async Task<string> Aws(string endpoint, params string[] args)
    {
        var result = await ExternalProcess.RunAsync(AwsCli.Path, ["--endpoint-url", endpoint, .. args], AwsEnvironment, TimeSpan.FromMinutes(2), Ct);
        Assert.True(result.ExitCode == 0, result.Describe("aws " + string.Join(' ', args)));
        return result.StdOut;
    }
}
