using System.IO.Pipelines;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>
/// The commit loop waits for writers still streaming data only while its group holds data on the device (so they share
/// the device flush); a group of inline data commits at once. Each test sets a gather delay far longer than its
/// deadline, so a wait that should not happen fails it.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class CommitGatherTests
{
    private static readonly TimeSpan LongGather = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutObjectAsync_CommitsAtOnce_WhenTheGroupHoldsOnlyInlineData()
    {
        await using var harness = await OpenAsync(inlineThreshold: 16 * 1024);
        var engine = harness.Engine;
        var streaming = new Pipe();
        var slowData = TestData.Random(100, 1);
        var slow = engine.PutObjectAsync(TestData.Request("b", "slow", slowData.Length), streaming.Reader.AsStream(), Ct);

        var quick = await engine.PutAsync("b", "quick", TestData.Random(4096, 2)).WaitAsync(Deadline, Ct);

        Assert.Equal(EngineStatus.Ok, quick.Status);
        Assert.False(slow.IsCompleted);
        await streaming.Writer.WriteAsync(slowData, Ct);
        await streaming.Writer.CompleteAsync();
        Assert.Equal(EngineStatus.Ok, (await slow.WaitAsync(Deadline, Ct)).Status);
        Assert.Equal(slowData, await engine.ReadAllAsync("b", "slow"));
    }

    [Fact]
    public async Task PutObjectAsync_WaitsForStreamingWriters_WhenTheGroupHoldsDeviceData()
    {
        await using var harness = await OpenAsync(inlineThreshold: 0);
        var engine = harness.Engine;
        var streaming = new Pipe();
        var slowData = TestData.Random(4096, 1);
        var slow = engine.PutObjectAsync(TestData.Request("b", "slow", slowData.Length), streaming.Reader.AsStream(), Ct);
        var groupsBefore = engine.CommitGroupCount;

        var onDevice = engine.PutAsync("b", "on-device", TestData.Random(4096, 2));
        await Task.Delay(TimeSpan.FromMilliseconds(300), Ct);
        Assert.False(onDevice.IsCompleted, "the group with device data committed while a writer was still streaming");

        await streaming.Writer.WriteAsync(slowData, Ct);
        await streaming.Writer.CompleteAsync();
        Assert.Equal(EngineStatus.Ok, (await onDevice.WaitAsync(Deadline, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await slow.WaitAsync(Deadline, Ct)).Status);
        Assert.Equal(1, engine.CommitGroupCount - groupsBefore);
    }

    private static async Task<EngineHarness> OpenAsync(int inlineThreshold)
    {
        var harness = await EngineHarness.CreateAsync(DeviceType.Memory, inlineThreshold: inlineThreshold, open: false);
        harness.CommitGatherDelay = LongGather;
        await harness.OpenAsync();
        await harness.Engine.CreateBucketAsync("b", Ct);
        return harness;
    }
}
