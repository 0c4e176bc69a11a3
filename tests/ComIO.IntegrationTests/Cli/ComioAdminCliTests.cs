using System.Text.Json;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Cli;

/// <summary>
/// The real <c>comio</c> binary against the whole topology: every <c>admin</c> command (users, keys, policies, status),
/// a new user's key allowed on one bucket and denied on another, and the commands whose server side is not built yet
/// (replication resync) failing cleanly with the server's error; lifecycle set/get/delete round trip.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ComioAdminCliTests(TopologyFixture topology) : IDisposable
{
    private readonly string _configDir = Path.Combine(Path.GetTempPath(), "comio-admin-cfg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _workDir = Directory.CreateTempSubdirectory("comio-admin-work-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string> AdminEnv => ComioCli.EnvironmentFor(topology, _configDir);

    [Fact]
    public async Task AdminUserKeyPolicy_NewKeyAllowedOnGrantedBucketOnly_AndDisabledKeyStopsWorking()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var allowed = "adm-allowed-" + suffix;
        var other = "adm-other-" + suffix;
        var user = "cli-user-" + suffix;
        await Expect(AdminEnv, "bucket", "create", allowed);
        await Expect(AdminEnv, "bucket", "create", other);

        // Users: create, list, show.
        await Expect(AdminEnv, "admin", "user", "create", user);
        using (var users = await ExpectJson(AdminEnv, "admin", "user", "list", "--json"))
        {
            Assert.Contains(users.RootElement.EnumerateArray(), u => u.GetProperty("name").GetString() == user);
        }

        Assert.Contains(user, (await Expect(AdminEnv, "admin", "user", "list")).StdOut, StringComparison.Ordinal);
        using (var shown = await ExpectJson(AdminEnv, "admin", "user", "show", user, "--json"))
        {
            Assert.Equal("Active", shown.RootElement.GetProperty("status").GetString());
            Assert.False(shown.RootElement.GetProperty("administrator").GetBoolean());
        }

        // Keys: the secret is printed only by create.
        var (keyId, secret) = await CreateKeyAsync("admin", "key", "create", user, "--json");
        var human = await Expect(AdminEnv, "admin", "key", "list", user);
        Assert.Contains(keyId, human.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, human.StdOut + human.StdErr, StringComparison.Ordinal);
        using (var keys = await ExpectJson(AdminEnv, "admin", "key", "list", user, "--json"))
        {
            var key = Assert.Single(keys.RootElement.EnumerateArray());
            Assert.Equal(keyId, key.GetProperty("accessKeyId").GetString());
            Assert.Equal("Active", key.GetProperty("status").GetString());
            Assert.False(key.TryGetProperty("secretAccessKey", out _));
        }

        // Without a policy the user may do nothing.
        var userEnv = EnvFor(keyId, secret);
        AssertOneLineFailure(await Run(userEnv, "object", "list", allowed), "comio: AccessDenied");

        // Policies: put, list, get.
        var policyFile = Path.Combine(_workDir, "policy.json");
        await File.WriteAllTextAsync(policyFile, $$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::{{allowed}}","arn:aws:s3:::{{allowed}}/*"]}]}
            """, Ct);
        await Expect(AdminEnv, "admin", "policy", "put", user, "only-allowed", "--file", policyFile);
        Assert.Equal("only-allowed", (await Expect(AdminEnv, "admin", "policy", "list", user)).StdOut.Trim());
        using (var policy = JsonDocument.Parse((await Expect(AdminEnv, "admin", "policy", "get", user, "only-allowed")).StdOut))
        {
            Assert.Equal("Allow", policy.RootElement.GetProperty("Statement")[0].GetProperty("Effect").GetString());
        }

        AssertOneLineFailure(await Run(AdminEnv, "admin", "policy", "get", user, "missing"), "comio: NoSuchEntity");
        var badPolicy = Path.Combine(_workDir, "bad.json");
        await File.WriteAllTextAsync(badPolicy, """{"Statement":"nope"}""", Ct);
        AssertOneLineFailure(await Run(AdminEnv, "admin", "policy", "put", user, "bad", "--file", badPolicy), "comio: MalformedPolicy");

        // The new key works on the granted bucket and is denied on the other one.
        await ExpectWithInput(userEnv, "granted"u8.ToArray(), "object", "put", $"{allowed}/file.txt", "--file", "-");
        Assert.Equal("granted"u8.ToArray(), (await Expect(userEnv, "object", "get", $"{allowed}/file.txt")).StdOutBytes);
        AssertOneLineFailure(await Run(userEnv, "object", "put", $"{other}/file.txt", "--file", "-"), "comio: AccessDenied");
        AssertOneLineFailure(await Run(userEnv, "object", "list", other), "comio: AccessDenied");
        AssertOneLineFailure(await Run(userEnv, "admin", "user", "list"), "comio: AccessDenied");

        // Disable the key: the next call fails; enable it again: it works.
        await Expect(AdminEnv, "admin", "key", "disable", keyId);
        AssertOneLineFailure(await Run(userEnv, "object", "list", allowed), "comio: ");
        await Expect(AdminEnv, "admin", "key", "enable", keyId);
        await Expect(userEnv, "object", "list", allowed);

        // Disabling the user stops its keys at once.
        await Expect(AdminEnv, "admin", "user", "disable", user);
        AssertOneLineFailure(await Run(userEnv, "object", "list", allowed), "comio: ");
        await Expect(AdminEnv, "admin", "user", "enable", user);
        await Expect(userEnv, "object", "list", allowed);

        // Rotate: a new key with a new secret; the old one is disabled.
        var (rotatedId, rotatedSecret) = await CreateKeyAsync("admin", "key", "rotate", keyId, "--json");
        Assert.NotEqual(keyId, rotatedId);
        AssertOneLineFailure(await Run(userEnv, "object", "list", allowed), "comio: ");
        var rotatedEnv = EnvFor(rotatedId, rotatedSecret);
        await Expect(rotatedEnv, "object", "list", allowed);

        // Human output of a created key names it and its secret once.
        var created = await Expect(AdminEnv, "admin", "key", "create", user);
        Assert.Contains("secret_key", created.StdOut, StringComparison.Ordinal);

        // Detach the policy: denied again. Delete the keys and the user.
        await Expect(AdminEnv, "admin", "policy", "delete", user, "only-allowed");
        AssertOneLineFailure(await Run(rotatedEnv, "object", "list", allowed), "comio: AccessDenied");
        await Expect(AdminEnv, "admin", "key", "delete", keyId);
        AssertOneLineFailure(await Run(AdminEnv, "admin", "key", "delete", keyId), "comio: NoSuchEntity");
        await Expect(AdminEnv, "admin", "user", "delete", user);
        AssertOneLineFailure(await Run(AdminEnv, "admin", "user", "show", user), "comio: NoSuchEntity");
        AssertOneLineFailure(await Run(rotatedEnv, "object", "list", allowed), "comio: ");

        await Expect(AdminEnv, "object", "delete", allowed, "--recursive");
        await Expect(AdminEnv, "bucket", "delete", allowed);
        await Expect(AdminEnv, "bucket", "delete", other);
    }

    [Fact]
    public async Task AdminStatus_Json_ShowsEveryNodeHealthyWithCapacity()
    {
        using var status = await ExpectJson(AdminEnv, "admin", "status", "--json");
        var root = status.RootElement;
        Assert.Equal("us-east-1", root.GetProperty("region").GetString());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n =>
        {
            Assert.True(n.GetProperty("reachable").GetBoolean(), n.ToString());
            Assert.True(n.GetProperty("healthy").GetBoolean(), n.ToString());
            Assert.True(n.GetProperty("capacityBytes").GetInt64() > 0, n.ToString());
        });
        Assert.Equal(nodes.Sum(n => n.GetProperty("capacityBytes").GetInt64()), root.GetProperty("capacityBytes").GetInt64());

        var table = await Expect(AdminEnv, "admin", "status");
        Assert.Contains("health    ok", table.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{TopologyFixture.Site}-node1", table.StdOut, StringComparison.Ordinal);

        // The admin API refuses wrong credentials with one line.
        var wrong = new Dictionary<string, string>(AdminEnv) { ["AWS_SECRET_ACCESS_KEY"] = "wrong-secret" };
        AssertOneLineFailure(await Run(wrong, "admin", "status"), "comio: SignatureDoesNotMatch");
    }

    [Fact]
    public async Task Lifecycle_Replication_Versions_ReportWhatTheServerSupports()
    {
        var bucket = "adm-lc-" + Guid.NewGuid().ToString("N")[..8];
        await Expect(AdminEnv, "bucket", "create", bucket);

        var rules = Path.Combine(_workDir, "rules.json");
        await File.WriteAllTextAsync(rules, """{"Rules":[{"ID":"tmp","Status":"Enabled","Filter":{"Prefix":"tmp/"},"Expiration":{"Days":7}}]}""", Ct);
        await Expect(AdminEnv, "lifecycle", "set", bucket, "--file", rules);
        var xmlRules = Path.Combine(_workDir, "rules.xml");
        await File.WriteAllTextAsync(xmlRules, "<LifecycleConfiguration><Rule><ID>x</ID><Status>Enabled</Status><Filter><Prefix>a/</Prefix></Filter><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>", Ct);
        await Expect(AdminEnv, "lifecycle", "set", bucket, "--file", xmlRules);
        var unsupported = Path.Combine(_workDir, "unsupported.json");
        await File.WriteAllTextAsync(unsupported, """{"Rules":[{"ID":"x","Status":"Enabled","Bogus":1}]}""", Ct);
        AssertOneLineFailure(await Run(AdminEnv, "lifecycle", "set", bucket, "--file", unsupported), "comio: lifecycle rules file: 'Bogus' is not supported");
        using (var lifecycle = await ExpectJson(AdminEnv, "lifecycle", "get", bucket))
        {
            var rule = Assert.Single(lifecycle.RootElement.GetProperty("rules").EnumerateArray());
            Assert.Equal("x", rule.GetProperty("id").GetString());
            Assert.Equal(1, rule.GetProperty("expirationDays").GetInt32());
        }

        await Expect(AdminEnv, "lifecycle", "delete", bucket);

        using (var replication = await ExpectJson(AdminEnv, "replication", "status", "--json"))
        {
            Assert.True(replication.RootElement.GetProperty("configured").GetBoolean(), replication.RootElement.ToString());
            Assert.StartsWith("comio:", replication.RootElement.GetProperty("stream").GetString(), StringComparison.Ordinal);
        }

        AssertOneLineFailure(await Run(AdminEnv, "replication", "resync", bucket), "comio: "); // no replication rule on the bucket
        await ExpectWithInput(AdminEnv, "v1"u8.ToArray(), "object", "put", $"{bucket}/v.txt", "--file", "-");
        using (var versions = await ExpectJson(AdminEnv, "object", "list", bucket, "--versions", "--json"))
        {
            var version = Assert.Single(versions.RootElement.GetProperty("versions").EnumerateArray());
            Assert.Equal("v.txt", version.GetProperty("key").GetString());
            Assert.True(version.GetProperty("isLatest").GetBoolean());
            Assert.Equal("null", version.GetProperty("versionId").GetString());
        }


        using (var info = await ExpectJson(AdminEnv, "bucket", "info", bucket, "--json"))
        {
            Assert.Equal("Off", info.RootElement.GetProperty("versioning").GetString());
            Assert.Equal("not configured", info.RootElement.GetProperty("lifecycle").GetString());
            Assert.Equal("not configured", info.RootElement.GetProperty("replication").GetString());
            Assert.Equal("not configured", info.RootElement.GetProperty("policy").GetString());
        }

        await Expect(AdminEnv, "object", "delete", $"{bucket}/v.txt");
        await Expect(AdminEnv, "bucket", "delete", bucket);
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

    private Dictionary<string, string> EnvFor(string accessKey, string secretKey) =>
        new(AdminEnv) { ["AWS_ACCESS_KEY_ID"] = accessKey, ["AWS_SECRET_ACCESS_KEY"] = secretKey };

    private async Task<(string KeyId, string Secret)> CreateKeyAsync(params string[] args)
    {
        using var key = await ExpectJson(AdminEnv, args);
        var id = key.RootElement.GetProperty("accessKeyId").GetString()!;
        var secret = key.RootElement.GetProperty("secretAccessKey").GetString()!;
        Assert.False(string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret));
        return (id, secret);
    }

    private static void AssertOneLineFailure(ComioResult result, string expectedPrefix)
    {
        Assert.True(result.ExitCode != 0, result.Describe("(expected failure)"));
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, result.Describe("(expected one stderr line)"));
        Assert.StartsWith(expectedPrefix, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.StdErr, StringComparison.Ordinal);
    }

    private static Task<ComioResult> Run(IReadOnlyDictionary<string, string> env, params string[] args) => ComioCli.RunAsync(env, Ct, [], args);

    private static async Task<ComioResult> Expect(IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var result = await ComioCli.RunAsync(env, Ct, null, args);
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', args)));
        return result;
    }

    private static async Task<ComioResult> ExpectWithInput(IReadOnlyDictionary<string, string> env, byte[] input, params string[] args)
    {
        var result = await ComioCli.RunAsync(env, Ct, input, args);
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', args)));
        return result;
    }

    private static async Task<JsonDocument> ExpectJson(IReadOnlyDictionary<string, string> env, params string[] args) =>
        JsonDocument.Parse((await Expect(env, args)).StdOut);
}
