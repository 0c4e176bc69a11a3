using System.Security.Cryptography;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class OutboxTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<PutObjectResult> PutAsync(StorageEngine engine, string key, byte[] data, byte[]? payload, byte[]? md5 = null)
    {
        using var body = new MemoryStream(data);
        return await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = key, ContentLength = data.Length, OutboxPayload = payload, ExpectedMd5 = md5 }, body, Ct);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task PutAndDelete_CommitOutboxEntries_OnlyForSuccessfulChanges(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var first = await PutAsync(engine, "a", TestData.Random(100, 1), [1]);
        var second = await PutAsync(engine, "big", TestData.Random(300_000, 2), [2, 2]);
        await PutAsync(engine, "plain", TestData.Random(10, 3), null);
        var wrongMd5 = MD5.HashData([9]);
        Assert.Equal(EngineStatus.BadDigest, (await PutAsync(engine, "bad", TestData.Random(10, 4), [4], wrongMd5)).Status);
        Assert.Equal(EngineStatus.Ok, await engine.DeleteObjectAsync("b", "a", [5], Ct));
        Assert.Equal(EngineStatus.NoSuchKey, await engine.DeleteObjectAsync("b", "none", [6], Ct));

        Assert.Equal(1, first.OutboxSequence);
        Assert.Equal(2, second.OutboxSequence);
        var entries = engine.ReadOutbox(0, 100);
        Assert.Equal([1L, 2L, 3L], entries.Select(e => e.Sequence));
        Assert.Equal([OutboxOperation.Put, OutboxOperation.Put, OutboxOperation.Delete], entries.Select(e => e.Operation));
        Assert.Equal(["a", "big", "a"], entries.Select(e => e.Key));
        Assert.Equal(first.Object!.ETag, entries[2].ETag);
        Assert.Equal([2, 2], entries[1].Payload);
        Assert.Equal(3, engine.GetStats().OutboxPending);
        Assert.Equal([2L, 3L], engine.ReadOutbox(1, 100).Select(e => e.Sequence));
        Assert.Single(engine.ReadOutbox(0, 1));

        await engine.RemoveOutboxEntriesAsync([1, 3, 99], Ct);
        engine = await harness.ReopenAsync();
        Assert.Equal([2L], engine.ReadOutbox(0, 100).Select(e => e.Sequence));
        Assert.Equal(1, engine.GetStats().OutboxPending);
        Assert.Equal(3, engine.LastOutboxSequence);
        Assert.Equal(4, (await PutAsync(engine, "c", [1], [7])).OutboxSequence);
    }

    [Fact]
    public async Task WaitForOutboxAsync_Completes_WhenEntryIsCommitted()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var wait = engine.WaitForOutboxAsync(0, Ct);
        await PutAsync(engine, "plain", [1], null);
        Assert.False(wait.IsCompleted);
        await PutAsync(engine, "k", [1], [1]);
        await wait.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        await engine.WaitForOutboxAsync(0, Ct).WaitAsync(TimeSpan.FromSeconds(1), Ct);
    }

    [Fact]
    public async Task OutboxEntries_MatchAcknowledgedChanges_AfterCrash()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.FaultInjecting);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        var acknowledged = new List<string>();
        harness.Faults!.TearWriteAfter(3, blocksWritten: 1);
        for (var i = 0; i < 8; i++)
        {
            try
            {
                if ((await PutAsync(engine, $"k{i}", TestData.Random(100_000, i), [(byte)i])).Status == EngineStatus.Ok)
                {
                    acknowledged.Add($"k{i}");
                }
            }
            catch (IOException)
            {
            }
        }

        await harness.CrashAsync();
        engine = await harness.OpenAsync();
        Assert.Equal(acknowledged, engine.ReadOutbox(0, 100).Select(e => e.Key));
        Assert.Equal(acknowledged, engine.ListObjects("b", null, null, 100).Objects.Select(o => o.Key));
    }
}
