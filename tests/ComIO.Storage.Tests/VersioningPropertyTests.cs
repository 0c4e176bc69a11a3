using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>
/// Random sequences of versioned operations (put, delete, delete by version id, enable/suspend) checked against a model
/// of S3 version semantics after every step and after reopening: version listings (full and paged), current objects,
/// byte-exact reads of every version, and free space.
/// </summary>
public sealed class VersioningPropertyTests
{
    private sealed record ModelVersion(string Id, bool IsMarker, byte[]? Data);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DeviceType.Memory, 1)]
    [InlineData(DeviceType.Memory, 2)]
    [InlineData(DeviceType.Memory, 3)]
    [InlineData(DeviceType.DirectFile, 4)]
    [InlineData(DeviceType.FaultInjecting, 5)]
    public async Task RandomVersionedOperations_MatchTheS3Model(DeviceType type, int seed)
    {
        await using var harness = await EngineHarness.CreateAsync(type, capacity: 64L * 1024 * 1024);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var random = new Random(seed);
        var keys = new[] { "a", "a/b", "b", "c" };
        var model = keys.ToDictionary(k => k, _ => new List<ModelVersion>(), StringComparer.Ordinal);
        var state = VersioningState.Unversioned;
        for (var step = 0; step < 120; step++)
        {
            var key = keys[random.Next(keys.Length)];
            var versions = model[key];
            var roll = random.Next(100);
            if (roll < 8 || (state == VersioningState.Unversioned && roll < 20))
            {
                state = random.Next(3) == 0 ? VersioningState.Suspended : VersioningState.Enabled;
                Assert.Equal(EngineStatus.Ok, await engine.SetVersioningAsync("b", state, Ct));
            }
            else if (roll < 55)
            {
                var data = TestData.Random(random.Next(3) == 0 ? random.Next(17_000, 200_000) : random.Next(0, 2000), seed * 1000 + step);
                var put = await engine.PutAsync("b", key, data);
                Assert.Equal(EngineStatus.Ok, put.Status);
                switch (state)
                {
                    case VersioningState.Unversioned:
                        Assert.Equal("null", put.Object!.VersionId);
                        versions.Clear();
                        break;
                    case VersioningState.Suspended:
                        Assert.Equal("null", put.Object!.VersionId);
                        versions.RemoveAll(v => v.Id == "null");
                        break;
                    default:
                        Assert.NotEqual("null", put.Object!.VersionId);
                        break;
                }

                versions.Insert(0, new ModelVersion(put.Object.VersionId, false, data));
            }
            else if (roll < 75)
            {
                var deleted = await engine.DeleteObjectVersionedAsync("b", key, null, null, Ct);
                if (state == VersioningState.Unversioned)
                {
                    Assert.Equal(versions.Count == 0 ? EngineStatus.NoSuchKey : EngineStatus.Ok, deleted.Status);
                    versions.Clear();
                }
                else
                {
                    Assert.Equal(EngineStatus.Ok, deleted.Status);
                    Assert.True(deleted.DeleteMarker);
                    if (state == VersioningState.Suspended)
                    {
                        Assert.Equal("null", deleted.VersionId);
                        versions.RemoveAll(v => v.Id == "null");
                    }

                    versions.Insert(0, new ModelVersion(deleted.VersionId!, true, null));
                }
            }
            else
            {
                var target = versions.Count > 0 && random.Next(4) != 0 ? versions[random.Next(versions.Count)].Id : random.Next(2) == 0 ? "null" : "U" + new string('z', 31);
                var deleted = await engine.DeleteObjectVersionedAsync("b", key, target, null, Ct);
                var index = versions.FindIndex(v => v.Id == target);
                Assert.Equal(index < 0 ? EngineStatus.NoSuchVersion : EngineStatus.Ok, deleted.Status);
                if (index >= 0)
                {
                    Assert.Equal(versions[index].IsMarker, deleted.DeleteMarker);
                    versions.RemoveAt(index);
                }
            }

            if (step % 10 == 9 || step == 119)
            {
                await AssertMatchesAsync(engine, model, harness);
            }

            if (step % 40 == 39)
            {
                engine = await harness.ReopenAsync();
                Assert.Equal(state, engine.GetVersioning("b"));
                await AssertMatchesAsync(engine, model, harness);
            }
        }
    }

    private static async Task AssertMatchesAsync(StorageEngine engine, Dictionary<string, List<ModelVersion>> model, EngineHarness harness)
    {
        var expected = model.OrderBy(p => p.Key, StringComparer.Ordinal)
            .SelectMany(p => p.Value.Select((v, i) => (p.Key, v.Id, i == 0, v.IsMarker))).ToList();
        var listed = engine.ListObjectVersions("b", null, null, null, 10_000).Versions.Select(v => (v.Key, v.VersionId, v.IsLatest, v.IsDeleteMarker)).ToList();
        Assert.Equal(expected, listed);

        foreach (var pageSize in new[] { 1, 3 })
        {
            var paged = new List<(string, string, bool, bool)>();
            string? keyMarker = null, versionMarker = null;
            while (true)
            {
                var page = engine.ListObjectVersions("b", null, keyMarker, versionMarker, pageSize);
                paged.AddRange(page.Versions.Select(v => (v.Key, v.VersionId, v.IsLatest, v.IsDeleteMarker)));
                if (!page.IsTruncated)
                {
                    break;
                }

                (keyMarker, versionMarker) = (page.Versions[^1].Key, page.Versions[^1].VersionId);
            }

            Assert.Equal(expected, paged);
        }

        var current = model.Where(p => p.Value.Count > 0 && !p.Value[0].IsMarker).Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(current, engine.ListObjects("b", null, null, 100).Objects.Select(o => o.Key));
        long extentBytes = 0;
        foreach (var (key, versions) in model)
        {
            foreach (var version in versions.Where(v => !v.IsMarker))
            {
                await using var opened = await engine.OpenObjectVersionAsync("b", key, version.Id, 0, -1, null, Ct);
                Assert.Equal(EngineStatus.Ok, opened.Status);
                Assert.Equal(version.Data, await TestData.ReadAllAsync(opened.Content!));
                if (version.Data!.Length > harness.InlineThreshold)
                {
                    extentBytes += MultipartData.Blocks(version.Data.Length);
                }
            }
        }

        var stats = engine.GetStats();
        Assert.Equal(stats.Capacity - extentBytes, stats.FreeBytes);
        Assert.Equal(model.Values.Sum(v => v.Count(x => !x.IsMarker)), stats.ObjectCount);
    }
}
