using System.Text;
using ComIO.Contracts.Lifecycle;
using ComIO.Storage;
using ComIO.Storage.Devices;
using ComIO.StorageNode.Lifecycle;
using Xunit;

namespace ComIO.ApiService.Tests.Lifecycle;

/// <summary>
/// The node's lifecycle scanner hosted directly on a storage engine (memory device, real RocksDB), with the clock moved by
/// passing the scan time: expiry by prefix / tag / size on the right day, noncurrent versions with NewerNoncurrentVersions,
/// expired delete markers, aborted uploads returning their space, idempotence, and resuming an interrupted run.
/// </summary>
public sealed class LifecycleScannerTests : IAsyncLifetime
{
    private const int Large = 64 * 1024;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "comio-lifecycle-" + Guid.NewGuid().ToString("N"));
    private readonly MemoryBlockDevice _device = new(64L * 1024 * 1024);
    private StorageEngine _engine = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        DeviceFormatter.Format(_device);
        await OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task OpenAsync() =>
        _engine = await StorageEngine.OpenAsync(new StorageEngineOptions { DevicePath = "memory", MetadataPath = Path.Combine(_root, "meta"), DeviceFactory = _ => _device }, Ct);

    private async Task<string> BucketAsync(string name, string lifecycleXml, VersioningState versioning = VersioningState.Unversioned)
    {
        Assert.Equal(EngineStatus.Ok, await _engine.CreateBucketAsync(name, Ct));
        Assert.True(LifecycleXml.TryParse(Encoding.UTF8.GetBytes(lifecycleXml), out var configuration, out var error), error?.Message);
        Assert.Equal(EngineStatus.Ok, await _engine.SetBucketSettingAsync(name, "lifecycle", LifecycleXml.Write(configuration!), Ct));
        if (versioning != VersioningState.Unversioned)
        {
            Assert.Equal(EngineStatus.Ok, await _engine.SetVersioningAsync(name, versioning, Ct));
        }

        return name;
    }

    private static string Config(params string[] rules) => "<LifecycleConfiguration>" + string.Concat(rules) + "</LifecycleConfiguration>";

    private async Task<DateTimeOffset> PutAsync(string bucket, string key, int size, params (string Key, string Value)[] tags)
    {
        var body = new byte[size];
        Random.Shared.NextBytes(body);
        var result = await _engine.PutObjectAsync(
            new PutObjectRequest { Bucket = bucket, Key = key, ContentLength = size, Tags = [.. tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value))] },
            new MemoryStream(body), Ct);
        Assert.Equal(EngineStatus.Ok, result.Status);
        return _engine.GetObject(bucket, key)!.LastModified;
    }

    private Task<LifecycleScanReport> ScanAsync(DateTimeOffset now) => new LifecycleScanner(_engine, pageSize: 3).ScanAsync(now, Ct);

    private List<string> Keys(string bucket) => [.. _engine.ListObjects(bucket, null, null, 1000).Objects.Select(o => o.Key)];

    [Fact]
    public async Task Scan_ExpiresByPrefixTagAndSize_OnTheRightDay()
    {
        var bucket = await BucketAsync("filters", Config(
            "<Rule><ID>logs</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "<Rule><ID>tmp</ID><Filter><Tag><Key>class</Key><Value>tmp</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "<Rule><ID>big</ID><Filter><And><Prefix>big/</Prefix><ObjectSizeGreaterThan>100000</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "<Rule><ID>off</ID><Filter><Prefix>keep/</Prefix></Filter><Status>Disabled</Status><Expiration><Days>1</Days></Expiration></Rule>"));
        var created = await PutAsync(bucket, "logs/a", Large);
        await PutAsync(bucket, "keep/b", Large);
        await PutAsync(bucket, "tagged/c", Large, ("class", "tmp"));
        await PutAsync(bucket, "tagged/d", Large, ("class", "keep"));
        await PutAsync(bucket, "big/e", 200_000);
        await PutAsync(bucket, "big/f", 1000);
        var due = LifecycleClock.NextMidnightAfter(created, 1);
        Assert.True(due - created > TimeSpan.FromDays(1) && due - created <= TimeSpan.FromDays(2));

        var early = await ScanAsync(due.AddSeconds(-1));
        Assert.Equal(0, early.Expired);
        Assert.Equal(6, Keys(bucket).Count);

        var freeBefore = _engine.GetStats().FreeBytes;
        var report = await ScanAsync(due);
        Assert.Equal(3, report.CurrentExpired);
        Assert.Equal(["big/f", "keep/b", "tagged/d"], Keys(bucket));
        Assert.Equal(2L * Large + 200_000, report.BytesFreed);
        Assert.True(_engine.GetStats().FreeBytes - freeBefore >= 2L * Large + 200_000);

        var again = await ScanAsync(due.AddDays(30));
        Assert.Equal(0, again.Expired);
        Assert.Equal(3, Keys(bucket).Count);
    }

    [Fact]
    public async Task Scan_LeavesLockedVersions_AndExpiresThemOnlyAfterRetentionAndHoldEnd()
    {
        // The engine enforces Object Lock on its own (real) clock; the scan's clock is far ahead, so the rule is due.
        var bucket = await BucketAsync("locked", Config(
            "<Rule><ID>nc</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
            "<Rule><ID>cur</ID><Filter><Prefix>held</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"),
            VersioningState.Enabled);
        var compliance = new ObjectRetention(RetentionMode.Compliance, DateTimeOffset.UtcNow.AddDays(30));
        Assert.Equal(EngineStatus.Ok, (await _engine.PutObjectAsync(new PutObjectRequest { Bucket = bucket, Key = "k", ContentLength = 3, Retention = compliance }, new MemoryStream("old"u8.ToArray()), Ct)).Status);
        await PutAsync(bucket, "k", 5); // the locked version is noncurrent from here
        Assert.Equal(EngineStatus.Ok, (await _engine.PutObjectAsync(new PutObjectRequest { Bucket = bucket, Key = "held", ContentLength = 1, LegalHold = true }, new MemoryStream("h"u8.ToArray()), Ct)).Status);

        var report = await ScanAsync(DateTimeOffset.UtcNow.AddDays(10));

        Assert.Equal(0, report.NoncurrentExpired); // the COMPLIANCE-locked version survives the rule
        Assert.Equal(2, _engine.ListObjectVersions(bucket, "k", null, null, 100).Versions.Count);
        // The current version under legal hold gets a delete marker (allowed, as on AWS), but its data version stays.
        Assert.Contains(_engine.ListObjectVersions(bucket, "held", null, null, 100).Versions, v => v.Size == 1);
        Assert.Equal(0, (await ScanAsync(DateTimeOffset.UtcNow.AddDays(20))).NoncurrentExpired);
    }

    [Fact]
    public async Task Scan_ExpiresNoncurrentVersions_AfterNoncurrentDaysKeepingNewer()
    {
        var bucket = await BucketAsync("noncurrent", Config(
            "<Rule><ID>nc</ID><Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>"),
            VersioningState.Enabled);
        await PutAsync(bucket, "k", Large);
        var second = await PutAsync(bucket, "k", Large + 1); // v1 noncurrent from here
        await PutAsync(bucket, "k", Large + 2);
        await PutAsync(bucket, "k", Large + 3);
        var versions = _engine.ListObjectVersions(bucket, null, null, null, 100).Versions;
        Assert.Equal(4, versions.Count);
        var due = LifecycleClock.NextMidnightAfter(second, 2);

        Assert.Equal(0, (await ScanAsync(due.AddSeconds(-1))).Expired);

        var freeBefore = _engine.GetStats().FreeBytes;
        var report = await ScanAsync(due.AddMinutes(1));
        Assert.Equal(2, report.NoncurrentExpired); // v1 and v2; v3 is the one newer noncurrent version kept
        var left = _engine.ListObjectVersions(bucket, null, null, null, 100).Versions;
        Assert.Equal([Large + 3, Large + 2], left.Select(v => v.Size));
        Assert.Equal(2L * Large + 1, report.BytesFreed);
        Assert.True(_engine.GetStats().FreeBytes - freeBefore >= 2L * Large + 1);
        Assert.Equal(0, (await ScanAsync(due.AddDays(10))).Expired);
    }

    [Fact]
    public async Task Scan_VersionedCurrentExpiration_AddsDeleteMarkerThenCleansExpiredMarker()
    {
        var bucket = await BucketAsync("markers", Config(
            "<Rule><ID>cur</ID><Filter><Prefix>x/</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>",
            "<Rule><ID>nc</ID><Filter><Prefix>x/</Prefix></Filter><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays></NoncurrentVersionExpiration></Rule>",
            "<Rule><ID>dm</ID><Filter><Prefix>x/</Prefix></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>"),
            VersioningState.Enabled);
        var created = await PutAsync(bucket, "x/1", Large);
        var due = LifecycleClock.NextMidnightAfter(created, 1);

        var first = await ScanAsync(due);
        Assert.Equal(1, first.CurrentExpired);
        Assert.Equal(0, first.BytesFreed);
        Assert.Empty(Keys(bucket));
        var versions = _engine.ListObjectVersions(bucket, null, null, null, 100).Versions;
        Assert.Equal(2, versions.Count);
        Assert.True(versions[0].IsDeleteMarker);

        // The data version became noncurrent when the marker was added (at real time, not at the scan time): one day
        // after that it expires, then the marker is the only version left and is removed in the same pass.
        var later = LifecycleClock.NextMidnightAfter(versions[0].LastModified, 1);
        var second = await ScanAsync(later);
        Assert.Equal(1, second.NoncurrentExpired);
        Assert.Equal(1, second.DeleteMarkersRemoved);
        Assert.Equal(Large, second.BytesFreed);
        Assert.Empty(_engine.ListObjectVersions(bucket, null, null, null, 100).Versions);
        Assert.Equal(0, (await ScanAsync(later.AddDays(5))).Expired);
    }

    [Fact]
    public async Task Scan_RemovesLoneDeleteMarker_WhenRuleSaysSo()
    {
        var bucket = await BucketAsync("lone", Config(
            "<Rule><ID>dm</ID><Filter><Prefix>a</Prefix></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>"),
            VersioningState.Enabled);
        await _engine.DeleteObjectVersionedAsync(bucket, "a1", null, null, Ct); // a marker with no data version
        await _engine.DeleteObjectVersionedAsync(bucket, "b1", null, null, Ct); // outside the prefix
        await PutAsync(bucket, "a2", 10);
        await _engine.DeleteObjectVersionedAsync(bucket, "a2", null, null, Ct); // marker over a data version: kept

        var report = await ScanAsync(DateTimeOffset.UtcNow);
        Assert.Equal(1, report.DeleteMarkersRemoved);
        var left = _engine.ListObjectVersions(bucket, null, null, null, 100).Versions;
        Assert.Equal(["a2", "a2", "b1"], left.Select(v => v.Key));
    }

    [Fact]
    public async Task Scan_AbortsIncompleteUploads_AfterDaysAfterInitiation_FreeingParts()
    {
        var bucket = await BucketAsync("uploads", Config(
            "<Rule><ID>mpu</ID><Filter><Prefix>up/</Prefix></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>2</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>"));
        var freeAtStart = _engine.GetStats().FreeBytes;
        var upload = (await _engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = bucket, Key = "up/big" }, Ct)).Upload!;
        var other = (await _engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = bucket, Key = "other" }, Ct)).Upload!;
        var part = new byte[1024 * 1024];
        Random.Shared.NextBytes(part);
        var put = await _engine.PutPartAsync(new PutPartRequest { Bucket = bucket, Key = "up/big", UploadId = upload.UploadId, PartNumber = 1, ContentLength = part.Length }, new MemoryStream(part), Ct);
        Assert.Equal(EngineStatus.Ok, put.Status);
        Assert.True(_engine.GetStats().FreeBytes <= freeAtStart - part.Length);
        var due = LifecycleClock.NextMidnightAfter(upload.Initiated, 2);

        Assert.Equal(0, (await ScanAsync(due.AddSeconds(-1))).UploadsAborted);
        var report = await ScanAsync(due);
        Assert.Equal(1, report.UploadsAborted);
        Assert.Equal(part.Length, report.BytesFreed);
        Assert.Equal(freeAtStart, _engine.GetStats().FreeBytes);
        var left = _engine.ListMultipartUploads(bucket, null, null, null, 10).Uploads;
        Assert.Equal(other.UploadId, Assert.Single(left).UploadId);
        Assert.Equal(0, (await ScanAsync(due.AddDays(9))).UploadsAborted);
    }

    [Fact]
    public async Task Scan_AfterRestartMidRun_ResumesFromCursorWithoutRedoingFinishedWork()
    {
        const string rule = "<Rule><ID>all</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
        var done = await BucketAsync("a-done", Config(rule));
        var partial = await BucketAsync("b-partial", Config(rule));
        var untouched = await BucketAsync("c-untouched", Config(rule));
        DateTimeOffset created = default;
        for (var i = 0; i < 6; i++)
        {
            created = await PutAsync(done, $"k{i}", 10);
            await PutAsync(partial, $"k{i}", 10);
            await PutAsync(untouched, $"k{i}", 10);
        }

        // The state a node leaves when it stops mid-run: bucket a finished, bucket b done up to k2, c not started.
        const string runId = "interrupted-run";
        await _engine.SetSystemDocumentAsync(LifecycleScanner.DocumentNamespace, "run", new LifecycleCursor(runId, "running", null, null).Serialize(), Ct);
        await _engine.SetSystemDocumentAsync(LifecycleScanner.DocumentNamespace, "bucket/" + done, new LifecycleCursor(runId, LifecycleCursor.DonePhase, null, null).Serialize(), Ct);
        await _engine.SetSystemDocumentAsync(LifecycleScanner.DocumentNamespace, "bucket/" + partial, new LifecycleCursor(runId, LifecycleCursor.VersionsPhase, "k2", null).Serialize(), Ct);
        await _engine.DisposeAsync();
        await OpenAsync();

        var due = LifecycleClock.NextMidnightAfter(created, 1).AddDays(1);
        var resumed = await ScanAsync(due);
        Assert.Equal(1, resumed.BucketsSkipped);
        Assert.Equal(6, Keys(done).Count);                  // finished before the restart: not scanned again
        Assert.Equal(["k0", "k1", "k2"], Keys(partial));   // resumed after k2
        Assert.Empty(Keys(untouched));
        Assert.Equal(3 + 6, resumed.CurrentExpired);

        // The run is complete now; the next run starts over and covers everything.
        var next = await ScanAsync(due);
        Assert.Equal(0, next.BucketsSkipped);
        Assert.Empty(Keys(done));
        Assert.Empty(Keys(partial));
        Assert.Equal(6 + 3, next.CurrentExpired);
    }
}
