using System.Diagnostics.Metrics;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class ConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task OpenObjectAsync_StreamsConsistentVersion_WhileKeyIsOverwrittenAndSpaceReused(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var versions = Enumerable.Range(0, 4).Select(i => TestData.Random(256 * 1024, 40 + i)).ToArray();
        var hashes = versions.Select(TestData.Md5Hex).ToHashSet();
        await engine.PutAsync("b", "hot", versions[0]);

        await using var open = await engine.OpenObjectAsync("b", "hot", 0, -1, Ct);
        var first = new byte[1000];
        await open.Content!.ReadExactlyAsync(first, Ct);

        // Replace and delete the object, and churn space, while the reader is paused mid-stream.
        for (var i = 1; i < versions.Length; i++)
        {
            await engine.PutAsync("b", "hot", versions[i]);
            await engine.PutAsync("b", $"churn{i}", TestData.Random(256 * 1024, 90 + i));
        }

        await engine.DeleteObjectAsync("b", "hot", Ct);
        using var rest = new MemoryStream();
        rest.Write(first);
        await open.Content.CopyToAsync(rest, Ct);
        Assert.Equal(versions[0], rest.ToArray());

        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var round = 0; round < 5; round++)
            {
                await engine.PutAsync("b", "shared", versions[(i + round) % versions.Length]);
            }
        }, Ct)).ToList();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var round = 0; round < 10; round++)
            {
                await using var result = await engine.OpenObjectAsync("b", "shared", 0, -1, Ct);
                if (result.Status == EngineStatus.Ok)
                {
                    Assert.Contains(TestData.Md5Hex(await TestData.ReadAllAsync(result.Content!)), hashes);
                }
            }
        }, Ct)).ToList();
        await Task.WhenAll(writers.Concat(readers));

        await open.DisposeAsync();
        Assert.Equal(0, engine.GetStats().ChecksumFailures);
        var live = engine.ListObjects("b", null, null, 100).Objects.Select(o => engine.GetObject("b", o.Key)!).Sum(r => r.Extents.Sum(e => e.Length));
        var stats = engine.GetStats();
        Assert.Equal(stats.Capacity - live, stats.FreeBytes);
    }

    [Fact]
    public async Task Meter_PublishesThisEnginesCounters_WhenObjectsAreWrittenAndRead()
    {
        var measurements = new Dictionary<string, long>();
        string? deviceId = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StorageEngine.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            // Other tests run engines in parallel: count only this engine's meter.
            if (instrument.Meter.Tags?.Any(t => t.Key == "comio.device.id" && (string?)t.Value == Volatile.Read(ref deviceId)) != true)
            {
                return;
            }

            lock (measurements)
            {
                measurements[instrument.Name] = measurements.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();

        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, chunkSize: 4096);
        var engine = harness.Engine;
        Volatile.Write(ref deviceId, engine.DeviceId.ToString());
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutAsync("b", "k", TestData.Random(100_000, 1));
        await engine.ReadAllAsync("b", "k");
        harness.CorruptByte(engine.GetObject("b", "k")!.MapToDevice(0, out _));
        await Assert.ThrowsAsync<ChecksumMismatchException>(() => engine.ReadAllAsync("b", "k"));

        lock (measurements)
        {
            Assert.Equal(1, measurements["comio.storage.objects_put"]);
            Assert.Equal(100_000, measurements["comio.storage.bytes_written"]);
            Assert.Equal(100_000, measurements["comio.storage.bytes_read"]);
            Assert.Equal(1, measurements["comio.storage.checksum_failures"]);
        }
    }
}
