using ComIO.Storage.Metadata;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

public sealed class ObjectLockTests
{
    private const string Slot = "Uzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0";
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ObjectRecord Inline(ObjectRetention? retention, bool legalHold) => new()
    {
        Bucket = "b",
        Key = "k",
        Size = 1,
        ETag = "0123456789abcdef0123456789abcdef",
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123),
        InlineData = [0xAB],
        VersionSlot = Slot,
        Retention = retention,
        LegalHold = legalHold,
    };

    private static async Task<(EngineHarness Harness, ManualClock Clock)> OpenAsync(DeviceType type, VersioningState versioning = VersioningState.Enabled)
    {
        var harness = await EngineHarness.CreateAsync(type, open: false);
        var clock = new ManualClock(Start);
        harness.Clock = clock;
        await harness.OpenAsync();
        Assert.Equal(EngineStatus.Ok, await harness.Engine.CreateBucketAsync("b", Ct));
        if (versioning != VersioningState.Unversioned)
        {
            Assert.Equal(EngineStatus.Ok, await harness.Engine.SetVersioningAsync("b", versioning, Ct));
        }

        return (harness, clock);
    }

    private static async Task<PutObjectResult> PutLockedAsync(StorageEngine engine, string key, byte[] data, ObjectRetention? retention, bool legalHold = false)
    {
        using var body = new MemoryStream(data);
        return await engine.PutObjectAsync(
            new PutObjectRequest { Bucket = "b", Key = key, ContentLength = data.Length, Retention = retention, LegalHold = legalHold }, body, Ct);
    }

    [Fact]
    public void SerializeObject_ProducesGoldenBytes_ForRetentionAndLegalHoldSections()
    {
        var plain = RecordSerializer.SerializeObject(Inline(null, false));
        var retention = new ObjectRetention(RetentionMode.Compliance, DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123));
        var locked = RecordSerializer.SerializeObject(Inline(retention, legalHold: true));

        // If this fails the metadata format changed: bump the record version and keep reading the old one.
        Assert.Equal(Convert.ToHexString(plain[..^4]) + "52" + "02" + "7BE897B69A010000" + "4C" + "01", Convert.ToHexString(locked[..^4]));
        var copy = RecordSerializer.DeserializeObject("b", "k", locked);
        Assert.Equal(retention, copy.Retention);
        Assert.True(copy.LegalHold);
        Assert.Equal(Slot, copy.VersionId);
        var unlocked = RecordSerializer.DeserializeObject("b", "k", plain);
        Assert.Null(unlocked.Retention);
        Assert.False(unlocked.LegalHold);

        var governanceOnly = RecordSerializer.SerializeObject(Inline(new ObjectRetention(RetentionMode.Governance, retention.RetainUntil), legalHold: false));
        Assert.Equal(Convert.ToHexString(plain[..^4]) + "52" + "01" + "7BE897B69A010000", Convert.ToHexString(governanceOnly[..^4]));
        for (var i = 0; i < locked.Length; i++)
        {
            var corrupt = locked.ToArray();
            corrupt[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => RecordSerializer.DeserializeObject("b", "k", corrupt));
        }
    }

    [Fact]
    public void SerializeUpload_CarriesLockSections_AndReadsOldUploads()
    {
        var retention = new ObjectRetention(RetentionMode.Governance, DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123));
        var upload = new MultipartUpload { Bucket = "b", Key = "k", UploadId = "u", Initiated = DateTimeOffset.FromUnixTimeMilliseconds(5) };
        var plain = RecordSerializer.SerializeUpload(upload);
        var locked = RecordSerializer.SerializeUpload(new MultipartUpload { Bucket = "b", Key = "k", UploadId = "u", Initiated = upload.Initiated, Retention = retention, LegalHold = true });
        Assert.Equal(Convert.ToHexString(plain[..^4]) + "52" + "01" + "7BE897B69A010000" + "4C" + "01", Convert.ToHexString(locked[..^4]));
        var copy = RecordSerializer.DeserializeUpload("b", "k", "u", locked);
        Assert.Equal(retention, copy.Retention);
        Assert.True(copy.LegalHold);
        Assert.Null(RecordSerializer.DeserializeUpload("b", "k", "u", plain).Retention);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task DeleteObjectVersionedAsync_RefusesComplianceVersion_UntilRetainUntilEvenWithBypass(DeviceType type)
    {
        var (harness, clock) = await OpenAsync(type);
        await using var _ = harness;
        var engine = harness.Engine;
        var data = TestData.Random(200_000, 1);
        var free = engine.GetStats().FreeBytes;
        var put = await PutLockedAsync(engine, "k", data, new ObjectRetention(RetentionMode.Compliance, Start.AddDays(1)));
        Assert.Equal(EngineStatus.Ok, put.Status);
        var id = put.Object!.VersionId;
        Assert.Equal(RetentionMode.Compliance, engine.GetObjectVersion("b", "k", id)!.Retention!.Value.Mode);

        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", id, bypassGovernance: true, null, Ct)).Status);

        // A delete without version id only adds a delete marker: allowed, the locked version stays.
        var marker = await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct);
        Assert.Equal(EngineStatus.Ok, marker.Status);
        Assert.True(marker.DeleteMarker);

        // The retention survives a restart and is enforced against the engine's clock.
        engine = await harness.ReopenAsync();
        Assert.Equal(Start.AddDays(1), engine.GetObjectVersion("b", "k", id)!.Retention!.Value.RetainUntil);
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", id, null, Ct)).Status);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.SetObjectRetentionAsync("b", "k", id, null, bypassGovernance: true, Ct)).Status);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.SetObjectRetentionAsync("b", "k", id, new ObjectRetention(RetentionMode.Compliance, Start.AddHours(23.5)), true, Ct)).Status);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.SetObjectRetentionAsync("b", "k", id, new ObjectRetention(RetentionMode.Governance, Start.AddDays(5)), true, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await engine.SetObjectRetentionAsync("b", "k", id, new ObjectRetention(RetentionMode.Compliance, Start.AddDays(2)), false, Ct)).Status);
        clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", id, null, Ct)).Status);
        Assert.Equal(data, (await ReadVersionAsync(engine, id)));

        clock.Advance(TimeSpan.FromHours(1.01));
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", id, null, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", marker.VersionId, null, Ct)).Status);
        Assert.Equal(free, engine.GetStats().FreeBytes);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task DeleteObjectVersionedAsync_AllowsGovernanceVersion_OnlyWithBypass(DeviceType type)
    {
        var (harness, _) = await OpenAsync(type);
        await using var __ = harness;
        var engine = harness.Engine;
        var id = (await PutLockedAsync(engine, "k", TestData.Random(100, 2), new ObjectRetention(RetentionMode.Governance, Start.AddDays(3)))).Object!.VersionId;
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", id, null, Ct)).Status);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.SetObjectRetentionAsync("b", "k", id, new ObjectRetention(RetentionMode.Governance, Start.AddDays(1)), false, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await engine.SetObjectRetentionAsync("b", "k", id, new ObjectRetention(RetentionMode.Governance, Start.AddDays(4)), false, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await engine.SetObjectRetentionAsync("b", "k", id, new ObjectRetention(RetentionMode.Governance, Start.AddDays(1)), true, Ct)).Status);
        Assert.Equal(Start.AddDays(1), engine.GetObjectVersion("b", "k", id)!.Retention!.Value.RetainUntil);
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", id, bypassGovernance: true, null, Ct)).Status);
        Assert.Null(engine.GetObjectVersion("b", "k", id));
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task LegalHold_BlocksDeletion_UntilRemoved(DeviceType type)
    {
        var (harness, _) = await OpenAsync(type);
        await using var __ = harness;
        var engine = harness.Engine;
        var id = (await PutLockedAsync(engine, "k", TestData.Random(70_000, 3), retention: null)).Object!.VersionId;
        var held = await engine.SetObjectLegalHoldAsync("b", "k", id, true, Ct);
        Assert.Equal(EngineStatus.Ok, held.Status);
        Assert.True(held.Object!.LegalHold);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", id, bypassGovernance: true, null, Ct)).Status);
        engine = await harness.ReopenAsync();
        Assert.True(engine.GetObjectVersion("b", "k", id)!.LegalHold);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", id, null, Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await engine.SetObjectLegalHoldAsync("b", "k", null, false, Ct)).Status);
        Assert.False(engine.GetObjectVersion("b", "k", id)!.LegalHold);
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", id, null, Ct)).Status);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.FaultInjecting)]
    public async Task InPlaceReplacement_OfLockedNullVersion_IsRefused(DeviceType type)
    {
        var (harness, clock) = await OpenAsync(type, VersioningState.Unversioned);
        await using var __ = harness;
        var engine = harness.Engine;
        var data = TestData.Random(90_000, 4);
        Assert.Equal(EngineStatus.Ok, (await PutLockedAsync(engine, "k", data, new ObjectRetention(RetentionMode.Compliance, Start.AddHours(1)))).Status);
        var free = engine.GetStats().FreeBytes;

        // Unversioned: overwrite and delete replace the only version in place.
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.PutAsync("b", "k", TestData.Random(80_000, 5))).Status);
        Assert.Equal(EngineStatus.ObjectLocked, await engine.DeleteObjectAsync("b", "k", Ct));
        Assert.Equal(free, engine.GetStats().FreeBytes);

        // Suspended: the null version is replaced in place by a write or a null delete marker.
        Assert.Equal(EngineStatus.Ok, await engine.SetVersioningAsync("b", VersioningState.Suspended, Ct));
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.PutAsync("b", "k", TestData.Random(80_000, 6))).Status);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct)).Status);
        var upload = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = "b", Key = "k" }, Ct);
        var part = await engine.PutPartAsync("b", "k", upload.Upload!.UploadId, 1, TestData.Random(1000, 7));
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.CompleteMultipartUploadAsync("b", "k", upload.Upload.UploadId, [new CompletedPart(1, part.Part!.ETag)], Ct)).Status);
        Assert.Equal(data, await engine.ReadAllAsync("b", "k"));

        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(EngineStatus.Ok, (await engine.CompleteMultipartUploadAsync("b", "k", upload.Upload.UploadId, [new CompletedPart(1, part.Part!.ETag)], Ct)).Status);
        Assert.Equal(EngineStatus.Ok, (await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct)).Status);
    }

    [Theory]
    [InlineData(DeviceType.Memory)]
    [InlineData(DeviceType.DirectFile)]
    public async Task CompleteMultipartUploadAsync_AppliesUploadLock(DeviceType type)
    {
        var (harness, _) = await OpenAsync(type);
        await using var __ = harness;
        var engine = harness.Engine;
        var retention = new ObjectRetention(RetentionMode.Governance, Start.AddDays(1));
        var upload = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = "b", Key = "k", Retention = retention, LegalHold = true }, Ct);
        engine = await harness.ReopenAsync();
        var part = await engine.PutPartAsync("b", "k", upload.Upload!.UploadId, 1, TestData.Random(1000, 8));
        var done = await engine.CompleteMultipartUploadAsync("b", "k", upload.Upload.UploadId, [new CompletedPart(1, part.Part!.ETag)], Ct);
        Assert.Equal(EngineStatus.Ok, done.Status);
        var version = engine.GetObjectVersion("b", "k", done.Object!.VersionId)!;
        Assert.Equal(retention, version.Retention);
        Assert.True(version.LegalHold);
        Assert.Equal(EngineStatus.ObjectLocked, (await engine.DeleteObjectVersionedAsync("b", "k", version.VersionId, bypassGovernance: true, null, Ct)).Status);
    }

    [Fact]
    public async Task SetObjectLockAsync_ReportsMissingAndDeleteMarker()
    {
        var (harness, _) = await OpenAsync(DeviceType.Memory);
        await using var __ = harness;
        var engine = harness.Engine;
        Assert.Equal(EngineStatus.NoSuchKey, (await engine.SetObjectLegalHoldAsync("b", "none", null, true, Ct)).Status);
        Assert.Equal(EngineStatus.NoSuchVersion, (await engine.SetObjectLegalHoldAsync("b", "none", Slot, true, Ct)).Status);
        await engine.PutAsync("b", "k", [1]);
        var marker = await engine.DeleteObjectVersionedAsync("b", "k", null, null, Ct);
        Assert.Equal(EngineStatus.MethodNotAllowed, (await engine.SetObjectLegalHoldAsync("b", "k", null, true, Ct)).Status);
        Assert.Equal(EngineStatus.MethodNotAllowed, (await engine.SetObjectRetentionAsync("b", "k", marker.VersionId, new ObjectRetention(RetentionMode.Governance, Start.AddDays(1)), false, Ct)).Status);
    }

    private static async Task<byte[]> ReadVersionAsync(StorageEngine engine, string versionId)
    {
        await using var result = await engine.OpenObjectVersionAsync("b", "k", versionId, 0, -1, null, Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        return await TestData.ReadAllAsync(result.Content!);
    }
}
