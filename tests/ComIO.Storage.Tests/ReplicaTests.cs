using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>
/// Replicas: another site's versions applied under their own ids (idempotent, ordered by id), and the replication
/// bookkeeping of local versions (status, outbox) in the same commits.
/// </summary>
public sealed class ReplicaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<StorageEngine> VersionedAsync(EngineHarness harness)
    {
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", Ct);
        Assert.Equal(EngineStatus.Ok, await engine.SetVersioningAsync("b", VersioningState.Enabled, Ct));
        return engine;
    }

    private static async Task<PutObjectResult> PutAsync(StorageEngine engine, string key, byte[] data, ReplicaVersion? replica = null, byte[]? outbox = null)
    {
        using var body = new MemoryStream(data);
        return await engine.PutObjectAsync(new PutObjectRequest { Bucket = "b", Key = key, ContentLength = data.Length, Replica = replica, OutboxPayload = outbox }, body, Ct);
    }

    private static async Task<byte[]> ReadAsync(StorageEngine engine, string key, string? versionId)
    {
        await using var result = await engine.OpenObjectVersionAsync("b", key, versionId, 0, -1, null, Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        return await TestData.ReadAllAsync(result.Content!);
    }

    private static List<(string VersionId, bool Latest, bool Marker)> Versions(StorageEngine engine, string key) =>
        [.. engine.ListObjectVersions("b", key, null, null, 1000).Versions.Where(v => v.Key == key).Select(v => (v.VersionId!, v.IsLatest, v.IsDeleteMarker))];

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task Replica_KeepsSourceIdentity_AndApplyingTwiceChangesNothing(DeviceType type)
    {
        await using var source = await EngineHarness.CreateAsync(DeviceType.Memory);
        await using var destination = await EngineHarness.CreateAsync(type);
        var src = await VersionedAsync(source);
        var dst = await VersionedAsync(destination);
        var data = TestData.Random(200_000, 1);
        var original = (await PutAsync(src, "k", data, outbox: [1])).Object!;
        Assert.Equal(ReplicationStatus.Pending, original.SystemMetadata[ReplicationStatus.MetadataName]);

        var replica = new ReplicaVersion(original.VersionId!, "0123456789abcdef0123456789abcdef-3");
        var applied = (await PutAsync(dst, "k", data, replica)).Object!;
        var used = dst.GetStats().UsedBytes;
        var again = await PutAsync(dst, "k", data, replica);

        Assert.Equal(EngineStatus.Ok, again.Status);
        Assert.Equal(original.VersionId, applied.VersionId);
        Assert.Equal(original.VersionId, again.Object!.VersionId);
        Assert.Equal(used, dst.GetStats().UsedBytes);
        Assert.Equal(1, dst.GetStats().ObjectCount);
        var stored = dst.GetObjectVersion("b", "k", null)!;
        Assert.Equal("0123456789abcdef0123456789abcdef-3", stored.ETag);
        Assert.Equal(ReplicationStatus.Replica, stored.SystemMetadata[ReplicationStatus.MetadataName]);
        Assert.True(Math.Abs((stored.LastModified - original.LastModified).TotalSeconds) < 1);
        Assert.Equal(data, await ReadAsync(dst, "k", original.VersionId));
        Assert.Empty(dst.ReadOutbox(0, 10));

        var reopened = await destination.ReopenAsync();
        Assert.Equal(original.VersionId, reopened.GetObjectVersion("b", "k", null)!.VersionId);
        Assert.Equal(data, await ReadAsync(reopened, "k", null));
    }

    [Fact]
    public async Task Replicas_ArrivingOutOfOrder_LeaveTheNewestVersionCurrent()
    {
        await using var source = await EngineHarness.CreateAsync(DeviceType.Memory);
        await using var destination = await EngineHarness.CreateAsync(DeviceType.Memory);
        var src = await VersionedAsync(source);
        var dst = await VersionedAsync(destination);
        var v1 = (await PutAsync(src, "k", [1])).Object!;
        var v2 = (await PutAsync(src, "k", TestData.Random(50_000, 2))).Object!;
        var marker = await src.DeleteObjectVersionedAsync("b", "k", null, null, Ct);
        var v4 = (await PutAsync(src, "k", [4, 4])).Object!;

        await PutAsync(dst, "k", [4, 4], new ReplicaVersion(v4.VersionId!));
        await PutAsync(dst, "k", TestData.Random(50_000, 2), new ReplicaVersion(v2.VersionId!));
        Assert.Equal(EngineStatus.Ok, (await dst.ApplyReplicaDeleteMarkerAsync("b", "k", new ReplicaVersion(marker.VersionId!), Ct)).Status);
        await PutAsync(dst, "k", [1], new ReplicaVersion(v1.VersionId!));

        Assert.Equal(Versions(src, "k"), Versions(dst, "k"));
        Assert.Equal([4, 4], await ReadAsync(dst, "k", null));
        Assert.Equal(TestData.Random(50_000, 2), await ReadAsync(dst, "k", v2.VersionId));
        Assert.Equal(3, dst.GetStats().ObjectCount);
    }

    [Fact]
    public async Task ReplicaDeleteMarker_Newest_HidesTheObject_AndIsIdempotent()
    {
        await using var source = await EngineHarness.CreateAsync(DeviceType.Memory);
        await using var destination = await EngineHarness.CreateAsync(DeviceType.Memory);
        var src = await VersionedAsync(source);
        var dst = await VersionedAsync(destination);
        var v1 = (await PutAsync(src, "k", [1])).Object!;
        var marker = await src.DeleteObjectVersionedAsync("b", "k", null, [9], Ct);
        Assert.Equal(ReplicationStatus.Pending, src.GetObjectVersion("b", "k", marker.VersionId)!.SystemMetadata[ReplicationStatus.MetadataName]);

        await PutAsync(dst, "k", [1], new ReplicaVersion(v1.VersionId!));
        var first = await dst.ApplyReplicaDeleteMarkerAsync("b", "k", new ReplicaVersion(marker.VersionId!), Ct);
        var second = await dst.ApplyReplicaDeleteMarkerAsync("b", "k", new ReplicaVersion(marker.VersionId!), Ct);

        Assert.True(first.DeleteMarker);
        Assert.Equal(marker.VersionId, second.VersionId);
        Assert.Null(dst.GetObject("b", "k"));
        Assert.Equal(Versions(src, "k"), Versions(dst, "k"));
    }

    [Fact]
    public async Task Replica_IsRefused_UnlessVersioningIsEnabled()
    {
        await using var source = await EngineHarness.CreateAsync(DeviceType.Memory);
        await using var destination = await EngineHarness.CreateAsync(DeviceType.Memory);
        var src = await VersionedAsync(source);
        var dst = destination.Engine;
        await dst.CreateBucketAsync("b", Ct);
        var v1 = (await PutAsync(src, "k", TestData.Random(100_000, 1))).Object!;

        Assert.Equal(EngineStatus.InvalidBucketState, (await PutAsync(dst, "k", TestData.Random(100_000, 1), new ReplicaVersion(v1.VersionId!))).Status);
        Assert.Equal(EngineStatus.InvalidBucketState, (await dst.ApplyReplicaDeleteMarkerAsync("b", "k", new ReplicaVersion(v1.VersionId!), Ct)).Status);
        Assert.Equal(0, dst.GetStats().UsedBytes);
        await Assert.ThrowsAsync<ArgumentException>(() => PutAsync(dst, "k", [1], new ReplicaVersion("null")));
    }

    [Fact]
    public async Task LocalWrite_AfterAReplicaFromAClockAhead_BecomesCurrent()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow.AddHours(1));
        await using var source = await EngineHarness.CreateAsync(DeviceType.Memory, open: false);
        source.Clock = clock;
        await source.OpenAsync();
        await using var destination = await EngineHarness.CreateAsync(DeviceType.Memory);
        var src = await VersionedAsync(source);
        var dst = await VersionedAsync(destination);
        var ahead = (await PutAsync(src, "k", [1])).Object!;

        await PutAsync(dst, "k", [1], new ReplicaVersion(ahead.VersionId!));
        var local = (await PutAsync(dst, "k", [2])).Object!;

        Assert.Equal(local.VersionId, dst.GetObjectVersion("b", "k", null)!.VersionId);
        Assert.Equal([2], await ReadAsync(dst, "k", null));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task CompleteReplication_RecordsStatus_AndRemovesTheEntry_InOneDurableCommit(DeviceType type)
    {
        await using var harness = await EngineHarness.CreateAsync(type);
        var engine = await VersionedAsync(harness);
        var put = await PutAsync(engine, "k", TestData.Random(70_000, 3), outbox: [1]);
        var failed = await PutAsync(engine, "f", [5], outbox: [2]);

        Assert.Equal(EngineStatus.Ok, await engine.CompleteReplicationAsync(put.OutboxSequence!.Value, "b", "k", put.Object!.VersionId, ReplicationStatus.Completed, Ct));
        Assert.Equal(EngineStatus.Ok, await engine.CompleteReplicationAsync(failed.OutboxSequence!.Value, "b", "f", failed.Object!.VersionId, ReplicationStatus.Failed, Ct));
        Assert.Equal(EngineStatus.Ok, await engine.CompleteReplicationAsync(put.OutboxSequence!.Value, "b", "k", put.Object!.VersionId, ReplicationStatus.Completed, Ct));

        engine = await harness.ReopenAsync();
        Assert.Empty(engine.ReadOutbox(0, 10));
        Assert.Equal(0, engine.GetStats().OutboxPending);
        Assert.Equal(ReplicationStatus.Completed, engine.GetObjectVersion("b", "k", put.Object.VersionId)!.SystemMetadata[ReplicationStatus.MetadataName]);
        Assert.Equal(ReplicationStatus.Failed, engine.GetObjectVersion("b", "f", null)!.SystemMetadata[ReplicationStatus.MetadataName]);
        Assert.Equal(TestData.Random(70_000, 3), await ReadAsync(engine, "k", null));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.CompleteReplicationAsync(1, "b", "k", null, ReplicationStatus.Pending, Ct));
    }

    [Fact]
    public async Task CompleteReplication_OfAVersionDeletedSince_StillRemovesTheEntry()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = await VersionedAsync(harness);
        var put = await PutAsync(engine, "k", [1], outbox: [1]);
        await engine.DeleteObjectVersionedAsync("b", "k", put.Object!.VersionId, null, Ct);

        Assert.Equal(EngineStatus.Ok, await engine.CompleteReplicationAsync(put.OutboxSequence!.Value, "b", "k", put.Object.VersionId, ReplicationStatus.Completed, Ct));
        Assert.Empty(engine.ReadOutbox(0, 10));
    }

    [Fact]
    public async Task EnqueueReplication_QueuesAnExistingVersion_AndMarksItPending()
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory);
        var engine = await VersionedAsync(harness);
        var v1 = (await PutAsync(engine, "k", [1])).Object!;
        var marker = await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct);

        var (status, sequence) = await engine.EnqueueReplicationAsync("b", "k", v1.VersionId, [7], Ct);
        var (markerStatus, markerSequence) = await engine.EnqueueReplicationAsync("b", "k", marker.VersionId, [8], Ct);
        var (missing, _) = await engine.EnqueueReplicationAsync("b", "nope", null, [9], Ct);

        Assert.Equal(EngineStatus.Ok, status);
        Assert.Equal(EngineStatus.Ok, markerStatus);
        Assert.Equal(EngineStatus.NoSuchKey, missing);
        var entries = engine.ReadOutbox(0, 10);
        Assert.Equal([sequence!.Value, markerSequence!.Value], entries.Select(e => e.Sequence));
        Assert.Equal((OutboxOperation.Put, v1.VersionId, v1.ETag), (entries[0].Operation, entries[0].VersionId, entries[0].ETag));
        Assert.Equal((OutboxOperation.Delete, marker.VersionId, true), (entries[1].Operation, entries[1].VersionId, entries[1].IsDeleteMarker));
        Assert.Equal(ReplicationStatus.Pending, engine.GetObjectVersion("b", "k", v1.VersionId)!.SystemMetadata[ReplicationStatus.MetadataName]);
    }
}
