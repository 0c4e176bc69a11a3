using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>
/// Crash scenarios on a <see cref="Devices.FaultInjectingBlockDevice"/> (volatile write cache over memory) plus a copy of
/// the RocksDB directory taken while the engine runs (no graceful close): after reopening, acknowledged objects read back
/// byte-identical, unacknowledged ones are invisible, and free space equals capacity minus live data.
/// </summary>
public sealed class CrashConsistencyTests
{
    public enum CrashPoint
    {
        MidDataWrite,
        AfterDataBeforeFlush,
        AfterFlushBeforeCommit,
        AfterCommit,
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(CrashPoint.MidDataWrite, true)]
    [InlineData(CrashPoint.MidDataWrite, false)]
    [InlineData(CrashPoint.AfterDataBeforeFlush, true)]
    [InlineData(CrashPoint.AfterDataBeforeFlush, false)]
    [InlineData(CrashPoint.AfterFlushBeforeCommit, true)]
    [InlineData(CrashPoint.AfterFlushBeforeCommit, false)]
    [InlineData(CrashPoint.AfterCommit, true)]
    [InlineData(CrashPoint.AfterCommit, false)]
    public async Task PutObjectAsync_LeavesOldOrNewObjectAndNoLeak_WhenCrashing(CrashPoint point, bool overwrite)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        var faults = harness.Faults!;
        await engine.CreateBucketAsync("b", Ct);
        var live = new Dictionary<string, byte[]>
        {
            ["small"] = TestData.Random(1000, 1),
            ["large"] = TestData.Random((1536 * 1024) + 5, 2),
            ["target"] = TestData.Random(1024 * 1024, 3),
        };
        foreach (var (key, value) in live)
        {
            Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", key, value)).Status);
        }

        var key2 = overwrite ? "target" : "fresh";
        var newData = TestData.Random((3 * 1024 * 1024) + 100, 4);
        switch (point)
        {
            case CrashPoint.MidDataWrite:
                faults.TearWriteAfter(1, blocksWritten: 3);
                break;
            case CrashPoint.AfterDataBeforeFlush:
                faults.FailFlushAfter(0, persistBeforeFailing: false);
                break;
            case CrashPoint.AfterFlushBeforeCommit:
                faults.FailFlushAfter(0, persistBeforeFailing: true);
                break;
        }

        if (point == CrashPoint.AfterCommit)
        {
            Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", key2, newData)).Status);
            live[key2] = newData;
        }
        else
        {
            await Assert.ThrowsAsync<IOException>(() => engine.PutAsync("b", key2, newData));
        }

        await harness.CrashAsync();
        engine = await harness.OpenAsync();

        await AssertExactlyAsync(engine, live);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task PutObjectAsync_KeepsEveryAcknowledgedObject_WhenDeviceTearsARandomWriteUnderConcurrency(int seed)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting, capacity: 48L * 1024 * 1024);
        var engine = harness.Engine;
        var faults = harness.Faults!;
        await engine.CreateBucketAsync("b", Ct);
        var random = new Random(seed);
        var live = new Dictionary<string, byte[]>();
        for (var i = 0; i < 4; i++)
        {
            var data = TestData.Random(random.Next(0, 2 * 1024 * 1024), seed * 100 + i);
            await engine.PutAsync("b", $"base{i}", data);
            live[$"base{i}"] = data;
        }

        faults.TearWriteAfter(random.Next(0, 12), blocksWritten: random.Next(0, 200));
        var puts = Enumerable.Range(0, 10).Select(i =>
        {
            var data = TestData.Random(random.Next(0, 3) == 0 ? random.Next(0, 16 * 1024) : random.Next(16 * 1024, 2 * 1024 * 1024), seed * 1000 + i);
            return (Key: $"k{i}", Data: data, Task: Task.Run(() => engine.PutAsync("b", $"k{i}", data), Ct));
        }).ToList();
        foreach (var put in puts)
        {
            try
            {
                if ((await put.Task).Status == EngineStatus.Ok)
                {
                    live[put.Key] = put.Data;
                }
            }
            catch (IOException)
            {
                // Not acknowledged: must not be visible after the crash.
            }
        }

        await harness.CrashAsync(partialWriteBack: new Random(seed));
        engine = await harness.OpenAsync();
        await AssertExactlyAsync(engine, live);

        // The engine keeps working after recovery.
        Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", "after", TestData.Random(100_000, 9))).Status);
    }

    [Fact]
    public async Task DeleteObjectAsync_IsDurable_AcrossCrash()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "gone", TestData.Random(500_000, 1));
        var kept = TestData.Random(500_000, 2);
        await engine.PutAsync("b", "kept", kept);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "gone", Ct));
        await harness.CrashAsync();
        engine = await harness.OpenAsync();
        await AssertExactlyAsync(engine, new Dictionary<string, byte[]> { ["kept"] = kept });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteMultipartUploadAsync_LeavesUploadOrCompleteObject_WhenCrashingAroundCommit(bool afterCommit)
    {
        const int MiB = 1024 * 1024;
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting, capacity: 48L * MiB);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var old = TestData.Random(MiB, 1);
        await engine.PutAsync("b", "target", old);
        var id = await engine.CreateUploadAsync("b", "target");
        byte[][] parts = [TestData.Random((5 * MiB) + 7, 2), TestData.Random(1000, 3), TestData.Random(300_000, 4)];
        var etags = new List<string>();
        for (var n = 1; n <= 3; n++)
        {
            etags.Add((await engine.PutPartAsync("b", "target", id, n, parts[n - 1])).Part!.ETag);
        }

        CompletedPart[] listed = [new(1, etags[0]), new(2, etags[1])];
        var stitched = parts[0].Concat(parts[1]).ToArray();
        if (afterCommit)
        {
            Assert.Equal(EngineStatus.Ok, (await engine.CompleteMultipartUploadAsync("b", "target", id, listed, Ct)).Status);
        }

        await harness.CrashAsync();
        engine = await harness.OpenAsync();
        var capacity = engine.GetStats().Capacity;
        if (!afterCommit)
        {
            // The upload and all its parts survived; the object is still the old version.
            Assert.Equal(old, await engine.ReadAllAsync("b", "target"));
            Assert.Equal([1, 2, 3], engine.ListParts("b", "target", id, 0, 10).Parts.Select(p => p.PartNumber));
            Assert.Equal(capacity - MultipartData.Blocks(old.Length) - parts.Sum(p => MultipartData.Blocks(p.Length)), engine.GetStats().FreeBytes);
            Assert.Equal(EngineStatus.Ok, (await engine.CompleteMultipartUploadAsync("b", "target", id, listed, Ct)).Status);
        }

        Assert.Equal(stitched, await engine.ReadAllAsync("b", "target"));
        Assert.Equal(MultipartData.MultipartETag(parts[0], parts[1]), engine.GetObject("b", "target")!.ETag);
        Assert.Equal(EngineStatus.NoSuchUpload, engine.ListParts("b", "target", id, 0, 10).Status);
        Assert.Empty(engine.ListMultipartUploads("b", null, null, null, 10).Uploads);
        Assert.Equal(capacity - MultipartData.Blocks(parts[0].Length) - MultipartData.Blocks(parts[1].Length), engine.GetStats().FreeBytes);
        Assert.Empty((await engine.ScrubAsync(Ct)).Findings);
    }

    [Theory]
    [InlineData(CrashPoint.MidDataWrite)]
    [InlineData(CrashPoint.AfterDataBeforeFlush)]
    [InlineData(CrashPoint.AfterFlushBeforeCommit)]
    [InlineData(CrashPoint.AfterCommit)]
    public async Task PutPartAsync_LeavesOldOrNewPartAndNoLeak_WhenCrashing(CrashPoint point)
    {
        const int MiB = 1024 * 1024;
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting, capacity: 48L * MiB);
        var engine = harness.Engine;
        var faults = harness.Faults!;
        await engine.CreateBucketAsync("b", Ct);
        var id = await engine.CreateUploadAsync("b", "k");
        var first = TestData.Random(5 * MiB, 1);
        var oldSecond = TestData.Random(MiB, 2);
        var newSecond = TestData.Random((3 * MiB) + 100, 3);
        await engine.PutPartAsync("b", "k", id, 1, first);
        await engine.PutPartAsync("b", "k", id, 2, oldSecond);
        switch (point)
        {
            case CrashPoint.MidDataWrite:
                faults.TearWriteAfter(1, blocksWritten: 3);
                break;
            case CrashPoint.AfterDataBeforeFlush:
                faults.FailFlushAfter(0, persistBeforeFailing: false);
                break;
            case CrashPoint.AfterFlushBeforeCommit:
                faults.FailFlushAfter(0, persistBeforeFailing: true);
                break;
        }

        var expectedSecond = oldSecond;
        if (point == CrashPoint.AfterCommit)
        {
            Assert.Equal(EngineStatus.Ok, (await engine.PutPartAsync("b", "k", id, 2, newSecond)).Status);
            expectedSecond = newSecond;
        }
        else
        {
            await Assert.ThrowsAsync<IOException>(() => engine.PutPartAsync("b", "k", id, 2, newSecond));
        }

        await harness.CrashAsync();
        engine = await harness.OpenAsync();
        var stored = engine.ListParts("b", "k", id, 0, 10).Parts;
        Assert.Equal([TestData.Md5Hex(first), TestData.Md5Hex(expectedSecond)], stored.Select(p => p.ETag));
        var stats = engine.GetStats();
        Assert.Equal(stats.Capacity - MultipartData.Blocks(first.Length) - MultipartData.Blocks(expectedSecond.Length), stats.FreeBytes);
        var completed = await engine.CompleteMultipartUploadAsync("b", "k", id, [new(1, stored[0].ETag), new(2, stored[1].ETag)], Ct);
        Assert.Equal(EngineStatus.Ok, completed.Status);
        var expected = first.Concat(expectedSecond).ToArray();
        Assert.Equal(expected, await engine.ReadAllAsync("b", "k"));
        Assert.Empty((await engine.ScrubAsync(Ct)).Findings);
    }

    private static async Task AssertExactlyAsync(StorageEngine engine, Dictionary<string, byte[]> live)
    {
        var listed = engine.ListObjects("b", null, null, 1000).Objects;
        Assert.Equal(live.Keys.OrderBy(k => k, StringComparer.Ordinal), listed.Select(o => o.Key));
        long extentBytes = 0;
        foreach (var (key, value) in live)
        {
            var record = engine.GetObject("b", key)!;
            Assert.Equal(TestData.Md5Hex(value), record.ETag);
            Assert.Equal(value, await engine.ReadAllAsync("b", key));
            extentBytes += record.Extents.Sum(e => e.Length);
        }

        var stats = engine.GetStats();
        Assert.Equal(live.Count, stats.ObjectCount);
        Assert.Equal(stats.Capacity - extentBytes, stats.FreeBytes);
        Assert.Empty((await engine.ScrubAsync(Ct)).Findings);
    }
}
