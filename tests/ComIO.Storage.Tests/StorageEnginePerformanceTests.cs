using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

[Collection(SerialCollection.Name)]
public sealed class StorageEnginePerformanceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(16 * 1024)]
    public async Task PutObjectAsync_SharesFlushesAndSyncs_WhenWritersAreConcurrent(int inlineThreshold)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.DirectFile, inlineThreshold: inlineThreshold);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var data = TestData.Random(4096, 1);
        const int Writers = 32;

        // Warm up the thread pool and JIT so both measurements see the same conditions.
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => engine.PutAsync("b", $"w{i}", data), Ct)));
        var groupsBefore = engine.CommitGroupCount;
        var sequential = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < Writers; i++)
        {
            Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", $"s{i}", data)).Status);
        }

        sequential.Stop();
        Assert.Equal(Writers, engine.CommitGroupCount - groupsBefore);

        groupsBefore = engine.CommitGroupCount;
        var parallel = System.Diagnostics.Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Writers).Select(i => Task.Run(() => engine.PutAsync("b", $"p{i}", data), Ct)));
        parallel.Stop();
        Assert.All(results, r => Assert.Equal(EngineStatus.Ok, r.Status));
        var groups = engine.CommitGroupCount - groupsBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"32 x 4 KiB (inline threshold {inlineThreshold}): sequential {sequential.Elapsed.TotalMilliseconds:F1} ms, parallel {parallel.Elapsed.TotalMilliseconds:F1} ms in {groups} groups");
        Assert.True(groups <= Writers / 2, $"expected shared commits, got {groups} groups for {Writers} writers");
        for (var i = 0; i < Writers; i++)
        {
            Assert.Equal(data, await engine.ReadAllAsync("b", $"p{i}"));
        }
    }

    [Fact]
    public async Task PutObjectAsync_StreamsWithBoundedMemory_ForLargeObject()
    {
        const long Size = 64L * 1024 * 1024;
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, capacity: 80L * 1024 * 1024);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        await engine.PutObjectAsync(TestData.Request("b", "warmup", 2 * 1024 * 1024), new GeneratedStream(2 * 1024 * 1024), Ct);
        await engine.DeleteObjectAsync("b", "warmup", Ct);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await engine.PutObjectAsync(TestData.Request("b", "big", Size), new GeneratedStream(Size), Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(EngineStatus.Ok, result.Status);
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes to write {Size}");
        Assert.True(result.Object!.Extents.Length <= 4);

        before = GC.GetTotalAllocatedBytes(precise: true);
        await using (var open = await engine.OpenObjectAsync("b", "big", 0, -1, Ct))
        {
            var buffer = new byte[81920];
            long position = 0;
            long mismatches = 0;
            int read;
            while ((read = await open.Content!.ReadAsync(buffer, Ct)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    if (buffer[i] != GeneratedStream.ByteAt(position + i))
                    {
                        mismatches++;
                    }
                }

                position += read;
            }

            Assert.Equal(Size, position);
            Assert.Equal(0, mismatches);
        }

        allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes to read {Size}");
    }
}
