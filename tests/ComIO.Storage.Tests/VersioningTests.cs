using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class VersioningTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<byte[]> ReadVersionAsync(StorageEngine engine, string key, string? versionId)
    {
        await using var result = await engine.OpenObjectVersionAsync("b", key, versionId, 0, -1, null, Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        return await TestData.ReadAllAsync(result.Content!);
    }

    private static List<(string Key, string VersionId, bool Latest, bool Marker)> AllVersions(StorageEngine engine, string? prefix = null) =>
        [.. engine.ListObjectVersions("b", prefix, null, null, 10_000).Versions.Select(v => (v.Key, v.VersionId, v.IsLatest, v.IsDeleteMarker))];

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_KeepsEveryVersion_WhenVersioningEnabled(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        Assert.Equal(VersioningState.Unversioned, engine.GetVersioning("b"));
        Assert.Equal(EngineStatus.Ok, await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct));
        Assert.Equal(VersioningState.Enabled, engine.GetVersioning("b"));
        var free = engine.GetStats().FreeBytes;

        // Mixed sizes: inline and extent-backed versions.
        byte[][] bodies = [TestData.Random(300_000, 1), TestData.Random(100, 2), TestData.Random(200_000, 3)];
        var ids = new List<string>();
        foreach (var body in bodies)
        {
            var put = await engine.PutAsync("b", "k", body);
            Assert.Equal(EngineStatus.Ok, put.Status);
            Assert.Matches("^[A-Za-z0-9_-]{32}$", put.Object!.VersionId);
            ids.Add(put.Object.VersionId);
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids.AsEnumerable().Reverse(), ids.Order(StringComparer.Ordinal));
        Assert.Equal(bodies[2], await engine.ReadAllAsync("b", "k"));
        for (var i = 0; i < bodies.Length; i++)
        {
            Assert.Equal(bodies[i], await ReadVersionAsync(engine, "k", ids[i]));
            Assert.Equal(TestData.Md5Hex(bodies[i]), engine.GetObjectVersion("b", "k", ids[i])!.ETag);
        }

        Assert.Equal([("k", ids[2], true, false), ("k", ids[1], false, false), ("k", ids[0], false, false)], AllVersions(engine));
        Assert.Equal(free - MultipartData.Blocks(300_000) - MultipartData.Blocks(200_000), engine.GetStats().FreeBytes);
        Assert.Equal(3, engine.GetStats().ObjectCount);

        // Delete without a version id: a delete marker becomes the latest version; the data stays.
        var deleted = await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct);
        Assert.Equal(EngineStatus.Ok, deleted.Status);
        Assert.True(deleted.DeleteMarker);
        var markerId = deleted.VersionId!;
        Assert.Null(engine.GetObject("b", "k"));
        Assert.Empty(engine.ListObjects("b", null, null, 10).Objects);
        var latest = engine.GetObjectVersion("b", "k", null)!;
        Assert.True(latest.IsDeleteMarker);
        Assert.True(latest.IsLatest);
        Assert.Equal(EngineStatus.MethodNotAllowed, (await engine.OpenObjectVersionAsync("b", "k", markerId, 0, -1, null, Ct)).Status);
        Assert.Equal(bodies[1], await ReadVersionAsync(engine, "k", ids[1]));
        Assert.Equal(EngineStatus.BucketNotEmpty, await engine.DeleteBucketAsync("b", Ct));

        // Everything survives a restart, including the allocator's view.
        engine = await harness.ReopenAsync();
        Assert.Equal(VersioningState.Enabled, engine.GetVersioning("b"));
        Assert.Equal([("k", markerId, true, true), ("k", ids[2], false, false), ("k", ids[1], false, false), ("k", ids[0], false, false)], AllVersions(engine));
        Assert.Equal(free - MultipartData.Blocks(300_000) - MultipartData.Blocks(200_000), engine.GetStats().FreeBytes);
        Assert.Equal(3, engine.GetStats().ObjectCount);
        Assert.Empty((await engine.ScrubAsync(Ct)).Findings);

        // Deleting the marker by id makes the newest data version current again.
        var undelete = await engine.DeleteObjectVersionedAsync("b", "k", markerId, null, Ct);
        Assert.True(undelete.DeleteMarker);
        Assert.Equal(markerId, undelete.VersionId);
        Assert.Equal(bodies[2], await engine.ReadAllAsync("b", "k"));
        Assert.Equal(ids[2], engine.GetObject("b", "k")!.VersionId);

        // Deleting the current version by id promotes the previous one and frees the extents.
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", ids[2], null, Ct)).Status);
        Assert.Equal(bodies[1], await engine.ReadAllAsync("b", "k"));
        Assert.Equal(free - MultipartData.Blocks(300_000), engine.GetStats().FreeBytes);

        // Deleting a noncurrent version removes exactly it.
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", ids[0], null, Ct)).Status);
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Equal([("k", ids[1], true, false)], AllVersions(engine));
        Assert.Equal(EngineStatus.NoSuchVersion, (await engine.DeleteObjectVersionedAsync("b", "k", ids[0], null, Ct)).Status);
        Assert.Equal(EngineStatus.NoSuchVersion, (await engine.OpenObjectVersionAsync("b", "k", ids[0], 0, -1, null, Ct)).Status);

        engine = await harness.ReopenAsync();
        Assert.Equal([("k", ids[1], true, false)], AllVersions(engine));
        Assert.Equal(free, engine.GetStats().FreeBytes);
        Assert.Equal(1, engine.GetStats().ObjectCount);
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", ids[1], null, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteBucketAsync("b", Ct));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutObjectAsync_ReplacesOnlyTheNullVersion_WhenVersioningSuspended(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var free = engine.GetStats().FreeBytes;
        var original = TestData.Random(100_000, 1);
        var unversioned = await engine.PutAsync("b", "k", original);
        Assert.Equal("null", unversioned.Object!.VersionId);

        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var v1Data = TestData.Random(150_000, 2);
        var v1 = (await engine.PutAsync("b", "k", v1Data)).Object!.VersionId;
        Assert.Equal([("k", v1, true, false), ("k", "null", false, false)], AllVersions(engine));
        Assert.Equal(original, await ReadVersionAsync(engine, "k", "null"));

        await engine.SetVersioningAsync("b", VersioningState.Suspended, Ct);
        var suspendedData = TestData.Random(50_000, 3);
        var suspended = await engine.PutAsync("b", "k", suspendedData);
        Assert.Equal("null", suspended.Object!.VersionId);

        // The old null version is replaced (freed), v1 stays, the new null version is latest.
        Assert.Equal([("k", "null", true, false), ("k", v1, false, false)], AllVersions(engine));
        Assert.Equal(suspendedData, await ReadVersionAsync(engine, "k", "null"));
        Assert.Equal(free - MultipartData.Blocks(150_000) - MultipartData.Blocks(50_000), engine.GetStats().FreeBytes);

        // A delete while suspended writes a null delete marker, replacing the null version.
        var deleted = await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct);
        Assert.Equal("null", deleted.VersionId);
        Assert.True(deleted.DeleteMarker);
        Assert.Equal([("k", "null", true, true), ("k", v1, false, false)], AllVersions(engine));
        Assert.Equal(free - MultipartData.Blocks(150_000), engine.GetStats().FreeBytes);

        // Re-enabled: new versions get ids again; the null marker becomes noncurrent and keeps its place.
        engine = await harness.ReopenAsync();
        Assert.Equal(VersioningState.Suspended, engine.GetVersioning("b"));
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var v3Data = TestData.Random(10, 4);
        var v3 = (await engine.PutAsync("b", "k", v3Data)).Object!.VersionId;
        Assert.Equal([("k", v3, true, false), ("k", "null", false, true), ("k", v1, false, false)], AllVersions(engine));

        // Removing the null marker by id leaves the order intact.
        Assert.True((await engine.DeleteObjectVersionedAsync("b", "k", "null", null, Ct)).DeleteMarker);
        Assert.Equal([("k", v3, true, false), ("k", v1, false, false)], AllVersions(engine));
        Assert.Equal(v1Data, await ReadVersionAsync(engine, "k", v1));
        Assert.Equal(v3Data, await engine.ReadAllAsync("b", "k"));
        engine = await harness.ReopenAsync();
        Assert.Equal(free - MultipartData.Blocks(150_000), engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task ListObjectVersions_PagesInS3Order_ForEveryPageSize(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "a", TestData.Random(10, 0));
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        foreach (var key in new[] { "a", "b/1", "a", "c", "b/2", "b/1", "a" })
        {
            await engine.PutAsync("b", key, TestData.Random(20, key.Length));
        }

        await engine.DeleteObjectVersionedAsync("b", "c", null, null, Ct);
        await engine.DeleteObjectVersionedAsync("b", "d", null, null, Ct);
        var all = AllVersions(engine);
        Assert.Equal(["a", "a", "a", "a", "b/1", "b/1", "b/2", "c", "c", "d"], all.Select(v => v.Key));
        Assert.Equal([true, false, false, false, true, false, true, true, false, true], all.Select(v => v.Latest));
        Assert.Equal("null", all[3].VersionId);
        Assert.True(all[7].Marker && all[9].Marker);
        Assert.Equal(["b/1", "b/1", "b/2"], AllVersions(engine, "b/").Select(v => v.Key));
        Assert.Equal(["a", "b/1", "b/2"], engine.ListObjects("b", null, null, 10).Objects.Select(o => o.Key));

        for (var pageSize = 1; pageSize <= all.Count + 1; pageSize++)
        {
            var seen = new List<(string, string, bool, bool)>();
            string? keyMarker = null;
            string? versionMarker = null;
            while (true)
            {
                var page = engine.ListObjectVersions("b", null, keyMarker, versionMarker, pageSize);
                seen.AddRange(page.Versions.Select(v => (v.Key, v.VersionId, v.IsLatest, v.IsDeleteMarker)));
                Assert.True(page.Versions.Count <= pageSize);
                if (!page.IsTruncated)
                {
                    break;
                }

                keyMarker = page.Versions[^1].Key;
                versionMarker = page.Versions[^1].VersionId;
            }

            Assert.Equal(all, seen);
        }

        // A key marker alone skips every version of that key.
        Assert.Equal("b/1", engine.ListObjectVersions("b", null, "a", null, 1).Versions[0].Key);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task SetObjectTagsAsync_TagsOneVersion_AndOutboxEntriesCarryVersionIds(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var request = new PutObjectRequest { Bucket = "b", Key = "k", ContentLength = 5, OutboxPayload = [1] };
        var v1 = (await engine.PutObjectAsync(request, new MemoryStream(new byte[5]), Ct)).Object!.VersionId;
        var v2 = (await engine.PutObjectAsync(request, new MemoryStream(new byte[5]), Ct)).Object!.VersionId;
        Assert.Equal(EngineStatus.Ok, await engine.SetObjectTagsAsync("b", "k", v1, [new("t", "old")], Ct));
        Assert.Equal([new KeyValuePair<string, string>("t", "old")], engine.GetObjectVersion("b", "k", v1)!.Tags);
        Assert.Empty(engine.GetObject("b", "k")!.Tags);
        var marker = await engine.DeleteObjectVersionedAsync("b", "k", null, [2], Ct);
        Assert.Equal(EngineStatus.MethodNotAllowed, await engine.SetObjectTagsAsync("b", "k", marker.VersionId, [new("t", "x")], Ct));
        Assert.Equal(EngineStatus.NoSuchKey, await engine.SetObjectTagsAsync("b", "k", [new("t", "x")], Ct));
        await engine.DeleteObjectVersionedAsync("b", "k", v1, [3], Ct);

        var outbox = engine.ReadOutbox(0, 10);
        Assert.Equal([OutboxOperation.Put, OutboxOperation.Put, OutboxOperation.Delete, OutboxOperation.DeleteVersion], outbox.Select(e => e.Operation));
        Assert.Equal([v1, v2, marker.VersionId, v1], outbox.Select(e => e.VersionId));
        Assert.Equal([false, false, true, false], outbox.Select(e => e.IsDeleteMarker));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task CompleteMultipartUploadAsync_CreatesANewVersion_WhenVersioningEnabled(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, capacity: 48L * 1024 * 1024);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var first = TestData.Random(70_000, 1);
        var v1 = (await engine.PutAsync("b", "k", first)).Object!.VersionId;
        var id = await engine.CreateUploadAsync("b", "k");
        var part1 = TestData.Random(5 * 1024 * 1024, 2);
        var part2 = TestData.Random(1000, 3);
        var p1 = await engine.PutPartAsync("b", "k", id, 1, part1);
        var p2 = await engine.PutPartAsync("b", "k", id, 2, part2);
        var completed = await engine.CompleteMultipartUploadAsync("b", "k", id, [new(1, p1.Part!.ETag), new(2, p2.Part!.ETag)], Ct);
        Assert.Equal(EngineStatus.Ok, completed.Status);
        var v2 = completed.Object!.VersionId;
        Assert.NotEqual("null", v2);
        Assert.Equal([("k", v2, true, false), ("k", v1, false, false)], AllVersions(engine));
        Assert.Equal(first, await ReadVersionAsync(engine, "k", v1));
        Assert.Equal(part1.Concat(part2).ToArray(), await ReadVersionAsync(engine, "k", v2));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PutObjectAsync_KeepsPreviousVersionsAndLeaksNothing_WhenCrashingInVersionedBucket(bool afterCommit)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var old = TestData.Random(600_000, 1);
        var v1 = (await engine.PutAsync("b", "k", old)).Object!.VersionId;
        var marker = (await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct)).VersionId!;
        var newData = TestData.Random(900_000, 2);
        string? v2 = null;
        if (afterCommit)
        {
            v2 = (await engine.PutAsync("b", "k", newData)).Object!.VersionId;
        }
        else
        {
            harness.Faults!.FailFlushAfter(0, persistBeforeFailing: true);
            await Assert.ThrowsAsync<IOException>(() => engine.PutAsync("b", "k", newData));
        }

        await harness.CrashAsync();
        engine = await harness.OpenAsync();
        var expected = new List<(string, string, bool, bool)>();
        if (v2 is not null)
        {
            expected.Add(("k", v2, true, false));
            Assert.Equal(newData, await engine.ReadAllAsync("b", "k"));
        }

        expected.Add(("k", marker, v2 is null, true));
        expected.Add(("k", v1, false, false));
        Assert.Equal(expected, AllVersions(engine));
        Assert.Equal(old, await ReadVersionAsync(engine, "k", v1));
        var stats = engine.GetStats();
        Assert.Equal(stats.Capacity - MultipartData.Blocks(old.Length) - (v2 is null ? 0 : MultipartData.Blocks(newData.Length)), stats.FreeBytes);
        Assert.Empty((await engine.ScrubAsync(Ct)).Findings);
    }

    private sealed class BackwardsClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task PutObjectAsync_OrdersNewVersionsFirst_WhenClockWentBackwardsAcrossRestart()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var v1 = (await engine.PutAsync("b", "k", TestData.Random(10, 1))).Object!.VersionId;
        await harness.CloseAsync();

        var options = harness.Options;
        var rewound = new StorageEngineOptions
        {
            DevicePath = options.DevicePath,
            MetadataPath = options.MetadataPath,
            InlineThreshold = options.InlineThreshold,
            ChunkSize = options.ChunkSize,
            DeviceFactory = options.DeviceFactory,
            TimeProvider = new BackwardsClock(DateTimeOffset.UtcNow.AddDays(-30)),
        };
        await using var reopened = await StorageEngine.OpenAsync(rewound, Ct);
        var v2 = (await reopened.PutAsync("b", "k", TestData.Random(10, 2))).Object!.VersionId;
        Assert.Equal([v2, v1], reopened.ListObjectVersions("b", null, null, null, 10).Versions.Select(v => v.VersionId));
        Assert.Equal(v2, reopened.GetObject("b", "k")!.VersionId);
    }

    [Fact]
    public async Task ConcurrentVersionedWrites_OfOneKey_AllBecomeVersionsInCommitOrder()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct);
        var tasks = Enumerable.Range(0, 40).Select(i => i % 5 == 4
            ? engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct).ContinueWith(t => t.Result.VersionId!, Ct)
            : engine.PutAsync("b", "k", TestData.Random(100 + i, i)).ContinueWith(t => t.Result.Object!.VersionId, Ct)).ToList();
        var ids = await Task.WhenAll(tasks);
        var listed = AllVersions(engine);
        Assert.Equal(40, listed.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(v => v.VersionId));
        Assert.Single(listed, v => v.Latest);
        var current = engine.GetObject("b", "k");
        var newestData = listed.First(v => !v.Marker);
        Assert.Equal(listed[0].Marker ? null : newestData.VersionId, current?.VersionId);
    }
}
