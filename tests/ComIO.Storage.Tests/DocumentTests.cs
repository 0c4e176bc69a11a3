using System.Text;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class DocumentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task CreateBucketAsync_WithSettings_StoresThemAtomically_AndSurvivesReopen(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        Assert.Equal(EngineStatus.Ok, await engine.CreateBucketAsync("b", new Dictionary<string, byte[]> { ["owner"] = Text("alice"), ["acl"] = Text("{}") }, Ct));
        Assert.Equal(EngineStatus.BucketAlreadyExists, await engine.CreateBucketAsync("b", new Dictionary<string, byte[]> { ["owner"] = Text("bob") }, Ct));

        engine = await harness.ReopenAsync();
        var settings = engine.GetBucketSettings("b")!;
        Assert.Equal(["acl", "owner"], settings.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("alice", Encoding.UTF8.GetString(settings["owner"]));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task SetBucketSettingAsync_ReplacesAndRemoves_AndDeleteBucketRemovesAllSettings(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        Assert.Equal(EngineStatus.NoSuchBucket, await engine.SetBucketSettingAsync("b", "policy", Text("{}"), Ct));
        Assert.Null(engine.GetBucketSettings("b"));
        await engine.CreateBucketAsync("b", Ct);
        await engine.CreateBucketAsync("b2", new Dictionary<string, byte[]> { ["policy"] = Text("other") }, Ct);
        Assert.Empty(engine.GetBucketSettings("b")!);

        Assert.Equal(EngineStatus.Ok, await engine.SetBucketSettingAsync("b", "policy", Text("v1"), Ct));
        Assert.Equal(EngineStatus.Ok, await engine.SetBucketSettingAsync("b", "policy", Text("v2"), Ct));
        Assert.Equal(EngineStatus.Ok, await engine.SetBucketSettingAsync("b", "cors", Text("c"), Ct));
        Assert.Equal(EngineStatus.Ok, await engine.SetBucketSettingAsync("b", "cors", null, Ct));
        engine = await harness.ReopenAsync();
        Assert.Equal("v2", Encoding.UTF8.GetString(engine.GetBucketSettings("b")!.Single().Value));

        Assert.Equal(EngineStatus.Ok, await engine.DeleteBucketAsync("b", Ct));
        await engine.CreateBucketAsync("b", Ct);
        Assert.Empty(engine.GetBucketSettings("b")!);
        Assert.Equal("other", Encoding.UTF8.GetString(engine.GetBucketSettings("b2")!["policy"]));
    }

    [Fact]
    public async Task BucketSettingsStamp_ChangesWithEveryBucketSettingsOrSharedDocumentChange_AndNotWithObjectOrNodeLocalWrites()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        var seen = new List<string> { engine.BucketSettingsStamp };
        async Task ExpectChangeAsync(Task<EngineStatus> change)
        {
            Assert.Equal(EngineStatus.Ok, await change);
            Assert.DoesNotContain(engine.BucketSettingsStamp, seen);
            seen.Add(engine.BucketSettingsStamp);
        }

        await ExpectChangeAsync(engine.CreateBucketAsync("b", Ct));
        await ExpectChangeAsync(engine.SetBucketSettingAsync("b", "policy", Text("v1"), Ct));
        await ExpectChangeAsync(engine.SetBucketSettingAsync("b", "policy", null, Ct));
        await ExpectChangeAsync(engine.SetVersioningAsync("b", VersioningState.Enabled, Ct));
        await engine.PutAsync("b", "k", TestData.Random(4096, 1));
        await engine.DeleteObjectVersionedAsync("b", "k", null, ct: Ct);
        await engine.SetSystemDocumentAsync("lifecycle", "cursor", Text("{}"), Ct);
        Assert.Equal(EngineStatus.NoSuchBucket, await engine.SetBucketSettingAsync("missing", "policy", Text("v"), Ct));
        Assert.Equal(seen[^1], engine.BucketSettingsStamp);
        await ExpectChangeAsync(engine.CreateBucketAsync("c", Ct));
        await ExpectChangeAsync(engine.DeleteBucketAsync("c", Ct));
        await ExpectChangeAsync(engine.SetSharedDocumentAsync("users", "alice", Text("{}"), Ct));
        await ExpectChangeAsync(engine.SetSharedDocumentAsync("users", "alice", null, Ct));
        Assert.Null(engine.GetSystemDocument("users", "alice"));

        // Another engine instance over the same metadata (a restarted node) never repeats a stamp handed out before.
        engine = await harness.ReopenAsync();
        Assert.DoesNotContain(engine.BucketSettingsStamp, seen);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task SystemDocuments_AreListedByNamespaceInIdOrder_AndSurviveReopen(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.SetSystemDocumentAsync("users", "bob", Text("B"), Ct);
        await engine.SetSystemDocumentAsync("users", "alice", Text("A"), Ct);
        await engine.SetSystemDocumentAsync("keys", "AKIA1", Text("K"), Ct);
        await engine.SetSystemDocumentAsync("users", "carol", Text("C"), Ct);
        await engine.SetSystemDocumentAsync("users", "carol", null, Ct);

        engine = await harness.ReopenAsync();
        Assert.Equal(["alice", "bob"], engine.ListSystemDocuments("users").Select(d => d.Key));
        Assert.Equal("K", Encoding.UTF8.GetString(engine.GetSystemDocument("keys", "AKIA1")!));
        Assert.Null(engine.GetSystemDocument("keys", "AKIA2"));
        Assert.Null(engine.GetSystemDocument("users", "carol"));
    }

    [Fact]
    public async Task SetSystemDocumentAsync_RefusesOversizedDocumentsAndNulNames()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Engine.SetSystemDocumentAsync("users", "x", new byte[StorageEngine.MaxDocumentBytes + 1], Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Engine.SetSystemDocumentAsync("users", "a\0b", Text("x"), Ct));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task SetObjectSystemMetadataAsync_ChangesOnlyTheNamedEntries(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(100_000, 7);
        using (var body = new MemoryStream(data))
        {
            await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "k", ContentLength = data.Length, SystemMetadata = new Dictionary<string, string> { ["cache-control"] = "no-cache", ["x-comio-acl"] = "old" } }, body, Ct);
        }

        var before = engine.GetObject("b", "k")!;
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectSystemMetadataAsync("b", "k", new Dictionary<string, string?> { ["x-comio-acl"] = "new", ["x-comio-owner"] = "o" }, Ct));
        Assert.Equal(EngineStatus.NoSuchKey, await engine.SetObjectSystemMetadataAsync("b", "missing", new Dictionary<string, string?> { ["a"] = "b" }, Ct));
        Assert.Equal(EngineStatus.NoSuchBucket, await engine.SetObjectSystemMetadataAsync("nb", "k", new Dictionary<string, string?> { ["a"] = "b" }, Ct));

        engine = await harness.ReopenAsync();
        var after = engine.GetObject("b", "k")!;
        Assert.Equal("new", after.SystemMetadata["x-comio-acl"]);
        Assert.Equal("o", after.SystemMetadata["x-comio-owner"]);
        Assert.Equal("no-cache", after.SystemMetadata["cache-control"]);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.LastModified, after.LastModified);
        Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task SetObjectSystemMetadataAsync_WithVersionId_ChangesOnlyThatVersion(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        Assert.Equal(EngineStatus.Ok, await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct));
        var ids = new List<string>();
        var bodies = new List<byte[]>();
        for (var i = 0; i < 2; i++)
        {
            var data = TestData.Random(50_000 + i, i);
            using var body = new MemoryStream(data);
            var put = await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = "k", ContentLength = data.Length, SystemMetadata = new Dictionary<string, string> { ["x-comio-acl"] = "v" + i } }, body, Ct);
            ids.Add(put.Object!.VersionId);
            bodies.Add(data);
        }

        var before = engine.GetObjectVersion("b", "k", ids[0])!;
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectSystemMetadataAsync("b", "k", new Dictionary<string, string?> { ["x-comio-acl"] = "changed" }, Ct, ids[0]));
        Assert.Equal(EngineStatus.NoSuchVersion, await engine.SetObjectSystemMetadataAsync("b", "k", new Dictionary<string, string?> { ["a"] = "b" }, Ct, "U" + new string('0', 31)));
        var marker = await engine.DeleteObjectVersionedAsync("b", "k", null, ct: Ct);
        Assert.Equal(EngineStatus.MethodNotAllowed, await engine.SetObjectSystemMetadataAsync("b", "k", new Dictionary<string, string?> { ["a"] = "b" }, Ct, marker.VersionId));

        engine = await harness.ReopenAsync();
        var changed = engine.GetObjectVersion("b", "k", ids[0])!;
        Assert.Equal("changed", changed.SystemMetadata["x-comio-acl"]);
        Assert.Equal(before.ETag, changed.ETag);
        Assert.Equal(before.LastModified, changed.LastModified);
        Assert.Equal("v1", engine.GetObjectVersion("b", "k", ids[1])!.SystemMetadata["x-comio-acl"]);
        Assert.True(engine.GetObjectVersion("b", "k", null)!.IsDeleteMarker);
    }
}
