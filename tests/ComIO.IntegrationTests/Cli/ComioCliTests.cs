using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Cli;

/// <summary>Drives the real <c>comio</c> binary against the whole topology: every command, JSON output and failure exit codes.</summary>
[Collection(TopologyCollection.Name)]
public sealed class ComioCliTests(TopologyFixture topology) : IDisposable
{
    private readonly string _configDir = Path.Combine(Path.GetTempPath(), "comio-cli-cfg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _workDir = Directory.CreateTempSubdirectory("comio-cli-work-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string> Env => ComioCli.EnvironmentFor(topology, _configDir);

    [Fact]
    public async Task LargeFile_UploadsMultipart_DownloadsIdentical_AndBucketInfoCountsIt()
    {
        var bucket = "comio-big-" + Guid.NewGuid().ToString("N")[..8];
        var local = Path.Combine(_workDir, "big.bin");
        var data = RandomNumberGenerator.GetBytes(50 * 1024 * 1024);
        await File.WriteAllBytesAsync(local, data, Ct);

        await Expect("bucket", "create", bucket);
        using (var put = await ExpectJson("object", "put", $"{bucket}/big/file.bin", "--file", local, "--json"))
        {
            Assert.Equal(data.Length, put.RootElement.GetProperty("size").GetInt64());
            Assert.EndsWith("-7\"", put.RootElement.GetProperty("etag").GetString(), StringComparison.Ordinal); // 8 MiB parts
        }

        using (var head = await ExpectJson("object", "head", $"{bucket}/big/file.bin", "--json"))
        {
            Assert.Equal(data.Length, head.RootElement.GetProperty("size").GetInt64());
        }

        var back = Path.Combine(_workDir, "big.back");
        await Expect("object", "get", $"{bucket}/big/file.bin", "--file", back);
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(await File.ReadAllBytesAsync(back, Ct)));

        using (var info = await ExpectJson("bucket", "info", bucket, "--json"))
        {
            Assert.Equal(bucket, info.RootElement.GetProperty("name").GetString());
            Assert.Equal("us-east-1", info.RootElement.GetProperty("region").GetString());
            Assert.Equal("Off", info.RootElement.GetProperty("versioning").GetString());
            Assert.Equal(1, info.RootElement.GetProperty("objects").GetInt64());
            Assert.Equal(data.Length, info.RootElement.GetProperty("totalBytes").GetInt64());
        }

        await Expect("object", "delete", $"{bucket}/big/file.bin");
        await Expect("bucket", "delete", bucket);
    }

    [Fact]
    public async Task Objects_StdinStdout_List_Copy_Presign_AndRecursiveDelete()
    {
        var bucket = "comio-obj-" + Guid.NewGuid().ToString("N")[..8];
        await Expect("bucket", "create", bucket);
        using (var buckets = await ExpectJson("bucket", "list", "--json"))
        {
            Assert.Contains(buckets.RootElement.EnumerateArray(), b => b.GetProperty("name").GetString() == bucket);
        }

        var payload = Encoding.UTF8.GetBytes("through stdin and stdout\n\u00e9\0binary");
        await ExpectWithInput(payload, "object", "put", $"{bucket}/dir/a.txt", "--file", "-");
        var get = await Expect("object", "get", $"{bucket}/dir/a.txt");
        Assert.Equal(payload, get.StdOutBytes);

        await ExpectWithInput([1, 2, 3], "object", "put", $"{bucket}/dir/sub/b.bin", "--file", "-", "--quiet");
        await ExpectWithInput([4], "object", "put", $"{bucket}/top.bin", "--file", "-", "--quiet");

        using (var flat = await ExpectJson("object", "list", bucket, "--json"))
        {
            Assert.Equal(["dir/"], flat.RootElement.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(["top.bin"], flat.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("key").GetString()));
        }

        using (var under = await ExpectJson("object", "list", $"{bucket}/dir/", "--json"))
        {
            Assert.Equal(["dir/sub/"], under.RootElement.GetProperty("prefixes").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(["dir/a.txt"], under.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("key").GetString()));
        }

        using (var all = await ExpectJson("object", "list", bucket, "--recursive", "--json"))
        {
            Assert.Empty(all.RootElement.GetProperty("prefixes").EnumerateArray());
            var objects = all.RootElement.GetProperty("objects").EnumerateArray().ToDictionary(o => o.GetProperty("key").GetString()!, o => o.GetProperty("size").GetInt64());
            Assert.Equal(new Dictionary<string, long> { ["dir/a.txt"] = payload.Length, ["dir/sub/b.bin"] = 3, ["top.bin"] = 1 }, objects);
        }

        Assert.Contains("PRE dir/", (await Expect("object", "list", bucket)).StdOut, StringComparison.Ordinal);

        await Expect("object", "copy", $"{bucket}/dir/a.txt", $"{bucket}/copy/a.txt");
        using (var head = await ExpectJson("object", "head", $"{bucket}/copy/a.txt", "--json"))
        {
            Assert.Equal(payload.Length, head.RootElement.GetProperty("size").GetInt64());
            Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(payload))}\"", head.RootElement.GetProperty("etag").GetString());
        }

        var url = (await Expect("object", "presign", $"{bucket}/copy/a.txt", "--expires", "300")).StdOut.Trim();
        Assert.Contains("X-Amz-Signature=", url, StringComparison.Ordinal);
        using (var http = new HttpClient())
        {
            Assert.Equal(payload, await http.GetByteArrayAsync(new Uri(url), Ct));
        }

        await Expect("object", "delete", $"{bucket}/top.bin");
        await Expect("object", "delete", $"{bucket}/dir", "--recursive");
        using (var left = await ExpectJson("object", "list", bucket, "--recursive", "--json"))
        {
            Assert.Equal(["copy/a.txt"], left.RootElement.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("key").GetString()));
        }

        await Expect("object", "delete", bucket, "--recursive");
        await Expect("bucket", "delete", bucket);
    }

    [Fact]
    public async Task Config_SetAndShow_NeverPrintsTheSecret_AndProfileConnects()
    {
        var profileOnly = new Dictionary<string, string> { ["COMIO_CONFIG_DIR"] = _configDir };
        await Expect(profileOnly, "config", "set", "endpoint", topology.S3Endpoint.ToString());
        await Expect(profileOnly, "config", "set", "access-key", TopologyFixture.AccessKey);
        await Expect(profileOnly, "config", "set", "secret_key", TopologyFixture.SecretKey);
        Assert.True(File.Exists(Path.Combine(_configDir, "config")));

        var show = await Expect(profileOnly, "config", "show");
        Assert.DoesNotContain(TopologyFixture.SecretKey, show.StdOut + show.StdErr, StringComparison.Ordinal);
        Assert.Contains(TopologyFixture.SecretKey[..4] + "…", show.StdOut, StringComparison.Ordinal);
        Assert.Contains(TopologyFixture.AccessKey, show.StdOut, StringComparison.Ordinal);

        // Profile alone is enough to connect.
        await Expect(profileOnly, "bucket", "list");

        // Precedence: flag over environment over profile.
        var withEnv = new Dictionary<string, string>(profileOnly) { ["COMIO_ENDPOINT"] = "http://127.0.0.1:9" };
        using (var fromEnv = JsonDocument.Parse((await Expect(withEnv, "config", "show", "--json")).StdOut))
        {
            var endpoint = fromEnv.RootElement.GetProperty("settings").GetProperty("endpoint");
            Assert.Equal("http://127.0.0.1:9", endpoint.GetProperty("value").GetString());
            Assert.Equal("env COMIO_ENDPOINT", endpoint.GetProperty("source").GetString());
            Assert.Equal("profile", fromEnv.RootElement.GetProperty("settings").GetProperty("access_key").GetProperty("source").GetString());
        }

        using (var fromFlag = JsonDocument.Parse((await Expect(withEnv, "config", "show", "--json", "--endpoint", "http://flag:1")).StdOut))
        {
            Assert.Equal("flag", fromFlag.RootElement.GetProperty("settings").GetProperty("endpoint").GetProperty("source").GetString());
        }

        var bad = await ComioCli.RunAsync(profileOnly, Ct, null, "config", "set", "colour", "blue");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task Failures_ExitNonZero_WithOneLineS3ErrorAndNoStackTrace()
    {
        var missing = "comio-missing-" + Guid.NewGuid().ToString("N")[..8];
        var get = await ComioCli.RunAsync(Env, Ct, null, "object", "get", $"{missing}/k");
        AssertOneLineFailure(get, "comio: NoSuchBucket: ");

        var info = await ComioCli.RunAsync(Env, Ct, null, "bucket", "info", missing);
        AssertOneLineFailure(info, "comio: NoSuchBucket: ");

        var bucket = "comio-fail-" + Guid.NewGuid().ToString("N")[..8];
        await Expect("bucket", "create", bucket);
        try
        {
            var noKey = await ComioCli.RunAsync(Env, Ct, null, "object", "get", $"{bucket}/nope");
            AssertOneLineFailure(noKey, "comio: NoSuchKey: ");

            var head = await ComioCli.RunAsync(Env, Ct, null, "object", "head", $"{bucket}/nope");
            AssertOneLineFailure(head, "comio: ");

            var wrongSecret = new Dictionary<string, string>(Env) { ["AWS_SECRET_ACCESS_KEY"] = "wrong-secret" };
            var denied = await ComioCli.RunAsync(wrongSecret, Ct, null, "bucket", "info", bucket);
            AssertOneLineFailure(denied, "comio: SignatureDoesNotMatch: ");

            var verbose = await ComioCli.RunAsync(Env, Ct, null, "object", "get", $"{bucket}/nope", "--verbose");
            Assert.NotEqual(0, verbose.ExitCode);
            Assert.Contains(" at ", verbose.StdErr, StringComparison.Ordinal);

            var usage = await ComioCli.RunAsync(Env, Ct, null, "object", "get", bucket);
            Assert.Equal(2, usage.ExitCode);
            Assert.StartsWith("comio: invalid path", usage.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            await Expect("bucket", "delete", bucket);
        }
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _configDir, _workDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static void AssertOneLineFailure(ComioResult result, string expectedPrefix)
    {
        Assert.True(result.ExitCode != 0, result.Describe("(expected failure)"));
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.Describe("(expected one stderr line)"));
        Assert.StartsWith(expectedPrefix, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(result.StdOutBytes);
    }

    private Task<ComioResult> Expect(params string[] args) => Expect(Env, args);

    private static async Task<ComioResult> Expect(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var result = await ComioCli.RunAsync(env, Ct, null, args);
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', args)));
        return result;
    }

    private async Task<ComioResult> ExpectWithInput(byte[] input, params string[] args)
    {
        var result = await ComioCli.RunAsync(Env, Ct, input, args);
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', args)));
        return result;
    }

    private async Task<JsonDocument> ExpectJson(params string[] args) => JsonDocument.Parse((await Expect(args)).StdOut);
}
