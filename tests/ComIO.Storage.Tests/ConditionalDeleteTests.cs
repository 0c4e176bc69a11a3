using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class ConditionalDeleteTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(VersioningState.Unversioned)]
    [InlineData(VersioningState.Enabled)]
    [InlineData(VersioningState.Suspended)]
    public async Task DeleteCurrentIfUnchangedAsync_DeletesTheSeenVersion_AndRefusesOnceItWasOverwritten(VersioningState state)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        if (state != VersioningState.Unversioned)
        {
            Assert.Equal(EngineStatus.Ok, await engine.SetVersioningAsync("b", state, Ct));
        }

        await engine.PutAsync("b", "k", TestData.Random(100, 1));
        var seen = engine.GetObject("b", "k")!;
        await engine.PutAsync("b", "k", TestData.Random(200, 2)); // a client overwrites after the scan looked

        var refused = await engine.DeleteCurrentIfUnchangedAsync("b", "k", seen.ETag, seen.LastModified, Ct);

        Assert.Equal(EngineStatus.PreconditionFailed, refused.Status);
        var current = engine.GetObject("b", "k")!;
        Assert.Equal(200, current.Size);

        var deleted = await engine.DeleteCurrentIfUnchangedAsync("b", "k", current.ETag, current.LastModified, Ct);

        Assert.Equal(EngineStatus.Ok, deleted.Status);
        Assert.Null(engine.GetObject("b", "k"));
        Assert.NotEqual(EngineStatus.Ok, (await engine.DeleteCurrentIfUnchangedAsync("b", "k", current.ETag, current.LastModified, Ct)).Status); // gone or a marker: nothing more to expire
    }
}
