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
