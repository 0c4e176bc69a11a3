using System.Diagnostics.Metrics;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.Processing;
using ComIO.ReplicationWorker.Queue;
using ComIO.ReplicationWorker.Telemetry;
using ComIO.ReplicationWorker.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComIO.ReplicationWorker.Tests.Copying;

public sealed class EntryApplierTests
{
    private sealed class Targets(params FakeTarget[] targets) : IReplicaTargets
    {
        public IReplicaTarget? Find(string site) => targets.FirstOrDefault(t => t.Site == site);
    }

    private static EntryApplier Applier(IReplicaTargets targets, ISourceReader source)
    {
        var options = TestOptions.Worker();
        var copier = new ObjectCopier(source, new MultipartCopier(source, options, NullLogger<MultipartCopier>.Instance), options, TestOptions.Site,
            NullLogger<ObjectCopier>.Instance);
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        return new EntryApplier(targets, copier, new ReplicationTelemetry(meters), TestOptions.Site);
    }

    private static ReplicationEntry Entry(string operation, string destinations) =>
        ReplicationEntry.Parse(new DeliveredEntry("1-0", Entries.AsFields(Entries.Put(destinations: destinations))
            .Select(f => f.Key == ReplicationStream.Operation ? new KeyValuePair<string, string>(f.Key, operation) : f).ToList(), 1));

    [Fact]
    public async Task ApplyAsync_SendsTheDeleteMarker_ToEveryDestination()
    {
        var west = new FakeTarget("west");
        var north = new FakeTarget("north");
        var entry = Entry(ReplicationStream.OperationDeleteMarker, """[{"site":"west","bucket":"b-west"},{"site":"north","bucket":"b-north"}]""");

        await Applier(new Targets(west, north), new FakeSource(null)).ApplyAsync(entry, TestContext.Current.CancellationToken);

        var delete = Assert.Single(west.Deletes);
        Assert.Equal(("b-west", "dir/object.bin"), (delete.Bucket, delete.Key));
        Assert.Equal(ReplicaHeaderMapping.DeleteMarkerMarks("v1", "east"), delete.Headers);
        Assert.Equal("b-north", Assert.Single(north.Deletes).Bucket);
    }

    [Fact]
    public async Task ApplyAsync_Fails_ForADestinationSiteThatIsNotConfigured()
    {
        var entry = Entry(ReplicationStream.OperationPut, """[{"site":"mars","bucket":"b"}]""");

        var error = await Assert.ThrowsAsync<DestinationFailedException>(() =>
            Applier(new Targets(new FakeTarget("west")), new FakeSource(null)).ApplyAsync(entry, TestContext.Current.CancellationToken));

        Assert.Equal("mars", error.Site);
    }

    [Fact]
    public async Task ApplyAsync_NamesTheFailingDestination()
    {
        var entry = Entry(ReplicationStream.OperationPut, """[{"site":"west","bucket":"b"}]""");
        var source = new FakeSource(new SourceVersion { VersionId = "v1", ContentLength = 10, ETag = "\"e-2\"" });

        var error = await Assert.ThrowsAsync<DestinationFailedException>(() =>
            Applier(new Targets(new FakeTarget("west") { FailPut = true }), source).ApplyAsync(entry, TestContext.Current.CancellationToken));

        Assert.Equal("west", error.Site);
        Assert.IsType<IOException>(error.InnerException);
    }
}
