using System.Globalization;
using ComIO.Contracts.Lifecycle;
using ComIO.Storage;

namespace ComIO.StorageNode.Lifecycle;

/// <summary>
/// Applies the buckets' lifecycle rules to the objects of ONE storage engine (one device). Each node scans only its own
/// devices, i.e. exactly the keys placement gave it, so no two scanners ever act on the same key, no cross-node
/// coordination or data movement is needed, and the work grows with the cluster. Rules come from the bucket setting
/// <c>lifecycle</c> that the API writes to every node (<see cref="LifecycleXml"/>), read from the engine itself.
/// <para>
/// Per bucket, a scan walks ListObjectVersions key by key (all versions of a key, newest first) and then the bucket's
/// multipart uploads, applying: Expiration of the current version (unversioned: delete; versioned: a delete marker),
/// NoncurrentVersionExpiration (days counted from when the version became noncurrent, i.e. the creation of the next newer
/// version; the newest NewerNoncurrentVersions noncurrent versions are kept), ExpiredObjectDeleteMarker (a delete marker
/// that is the only version left) and AbortIncompleteMultipartUpload. Days are counted as AWS does
/// (<see cref="LifecycleClock.NextMidnightAfter"/>) against the <c>now</c> the caller passes (its injectable clock).
/// </para>
/// <para>
/// Resumable: the run and each bucket's position (<see cref="LifecycleCursor"/>) are system documents of the engine,
/// written after every page, so a restarted node continues the unfinished run where it stopped and skips buckets it had
/// finished. Idempotent: every action is decided against the current state, so repeating a page or a whole pass changes
/// nothing more. Throttled by <see cref="LifecycleThrottle"/>. Not thread-safe: one scan per engine at a time
/// (<see cref="NodeLifecycleService"/> serializes them).
/// </para>
/// Known window: an unversioned current version is re-read (ETag and Last-Modified) immediately before it is deleted,
/// but a client overwrite committed between that check and the delete would be deleted too (the engine has no
/// conditional delete yet).
/// </summary>
public sealed class LifecycleScanner(StorageEngine engine, int pageSize = 500, int operationsPerSecond = 0)
{
    /// <summary>The system-document namespace of the cursors.</summary>
    public const string DocumentNamespace = "lifecycle";

    private const string RunDocument = "run";
    private const string RunningPhase = "running";
    private const int MaxPageSize = 1 << 20;

    private readonly LifecycleThrottle _throttle = new(operationsPerSecond);

    /// <summary>Scans every bucket of the engine that has a lifecycle configuration, as of <paramref name="now"/>.</summary>
    public async Task<LifecycleScanReport> ScanAsync(DateTimeOffset now, CancellationToken ct)
    {
        var report = new LifecycleScanReport();
        var run = LifecycleCursor.Parse(engine.GetSystemDocument(DocumentNamespace, RunDocument));
        string runId;
        if (run is { Phase: RunningPhase })
        {
            runId = run.RunId; // a restart interrupted this run: continue it
        }
        else
        {
            runId = now.UtcTicks.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
            await engine.SetSystemDocumentAsync(DocumentNamespace, RunDocument, new LifecycleCursor(runId, RunningPhase, null, null).Serialize(), ct);
        }

        foreach (var bucket in engine.ListBuckets())
        {
            ct.ThrowIfCancellationRequested();
            await ScanBucketAsync(bucket.Name, runId, now, report, ct);
        }

        await engine.SetSystemDocumentAsync(DocumentNamespace, RunDocument, new LifecycleCursor(runId, LifecycleCursor.DonePhase, null, null).Serialize(), ct);
        return report;
    }

    private static string CursorId(string bucket) => "bucket/" + bucket;

    private async Task ScanBucketAsync(string bucket, string runId, DateTimeOffset now, LifecycleScanReport report, CancellationToken ct)
    {
        if (engine.GetBucketSettings(bucket) is not { } settings
            || !settings.TryGetValue("lifecycle", out var stored)
            || !LifecycleXml.TryParse(stored, out var configuration, out _))
        {
            return;
        }

        var saved = LifecycleCursor.Parse(engine.GetSystemDocument(DocumentNamespace, CursorId(bucket)));
        var cursor = saved is not null && saved.RunId == runId ? saved : new LifecycleCursor(runId, LifecycleCursor.VersionsPhase, null, null);
        if (cursor.Phase == LifecycleCursor.DonePhase)
        {
            report.BucketsSkipped++;
            return;
        }

        if (cursor.Phase == LifecycleCursor.VersionsPhase)
        {
            await ScanVersionsAsync(bucket, configuration!, cursor.Key, runId, now, report, ct);
            cursor = new LifecycleCursor(runId, LifecycleCursor.UploadsPhase, null, null);
            await SaveAsync(bucket, cursor, ct);
        }

        await ScanUploadsAsync(bucket, configuration!, cursor.Key, cursor.UploadId, runId, now, report, ct);
        await SaveAsync(bucket, new LifecycleCursor(runId, LifecycleCursor.DonePhase, null, null), ct);
    }

    private Task SaveAsync(string bucket, LifecycleCursor cursor, CancellationToken ct) =>
        engine.SetSystemDocumentAsync(DocumentNamespace, CursorId(bucket), cursor.Serialize(), ct);

    private async Task ScanVersionsAsync(string bucket, LifecycleConfiguration configuration, string? afterKey, string runId, DateTimeOffset now, LifecycleScanReport report, CancellationToken ct)
    {
        var page = pageSize;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var listing = engine.ListObjectVersions(bucket, null, afterKey, null, page);
            var versions = listing.Versions;
            if (versions.Count == 0)
            {
                return;
            }

            // A truncated page may end inside a key: only whole keys are processed, the last one is listed again next time.
            var end = versions.Count;
            if (listing.IsTruncated)
            {
                var lastKey = versions[^1].Key;
                while (end > 0 && versions[end - 1].Key == lastKey)
                {
                    end--;
                }

                if (end == 0)
                {
                    page = Math.Min(page * 2, MaxPageSize);
                    continue;
                }
            }

            var start = 0;
            while (start < end)
            {
                var stop = start + 1;
                while (stop < end && versions[stop].Key == versions[start].Key)
                {
                    stop++;
                }

                var group = new List<ObjectRecord>(stop - start);
                for (var i = start; i < stop; i++)
                {
                    group.Add(versions[i]);
                }

                report.ObjectsScanned += group.Count;
                await ProcessKeyAsync(bucket, configuration, group, now, report, ct);
                afterKey = versions[start].Key;
                start = stop;
            }

            await SaveAsync(bucket, new LifecycleCursor(runId, LifecycleCursor.VersionsPhase, afterKey, null), ct);
            page = pageSize;
            if (!listing.IsTruncated)
            {
                return;
            }
        }
    }

    /// <summary>Applies the rules to one key's versions (newest first, as listed).</summary>
    private async Task ProcessKeyAsync(string bucket, LifecycleConfiguration configuration, List<ObjectRecord> versions, DateTimeOffset now, LifecycleScanReport report, CancellationToken ct)
    {
        var key = versions[0].Key;
        var versioned = engine.GetVersioning(bucket) != VersioningState.Unversioned;
        var remaining = new List<ObjectRecord>(versions);
        var markerAdded = false;

        // 1. Expiration of the current version.
        var latest = versions[0];
        if (!latest.IsDeleteMarker
            && configuration.CurrentExpiry(key, latest.Size, latest.Tags, latest.LastModified) is { } expiry
            && expiry.Expiry <= now)
        {
            // Conditional on the version the scan saw, atomically with the commit: a concurrent overwrite wins.
            await _throttle.WaitAsync(ct);
            var result = await engine.DeleteCurrentIfUnchangedAsync(bucket, key, latest.ETag, latest.LastModified, ct);
            if (result.Status == EngineStatus.Ok)
            {
                report.CurrentExpired++;
                if (versioned)
                {
                    markerAdded = true;
                    remaining.Insert(0, new ObjectRecord { Bucket = bucket, Key = key, Size = 0, ETag = string.Empty, LastModified = now, IsDeleteMarker = true });
                }
                else
                {
                    report.BytesFreed += latest.Size;
                    remaining.RemoveAt(0);
                }
            }
        }

        // 2. Noncurrent versions (everything after the latest), newest first; rank = noncurrent versions newer than it.
        var snapshot = remaining.ToArray();
        for (var i = 1; i < snapshot.Length; i++)
        {
            var version = snapshot[i];
            var becameNoncurrent = snapshot[i - 1].LastModified;
            if (!NoncurrentExpired(configuration, key, version, rank: i - 1, becameNoncurrent, now))
            {
                continue;
            }

            await _throttle.WaitAsync(ct);
            var result = await engine.DeleteObjectVersionedAsync(bucket, key, version.VersionId, null, ct);
            if (result.Status == EngineStatus.Ok)
            {
                report.NoncurrentExpired++;
                report.BytesFreed += version.IsDeleteMarker ? 0 : version.Size;
                remaining.Remove(version);
            }
        }

        // 3. A delete marker that is the only version left.
        if (!markerAdded && remaining.Count == 1 && remaining[0].IsDeleteMarker && ExpiresDeleteMarker(configuration, key))
        {
            await _throttle.WaitAsync(ct);
            var result = await engine.DeleteObjectVersionedAsync(bucket, key, remaining[0].VersionId, null, ct);
            if (result.Status == EngineStatus.Ok)
            {
                report.DeleteMarkersRemoved++;
            }
        }
    }

    private static bool NoncurrentExpired(LifecycleConfiguration configuration, string key, ObjectRecord version, int rank, DateTimeOffset becameNoncurrent, DateTimeOffset now)
    {
        foreach (var rule in configuration.Rules)
        {
            if (rule is { Enabled: true, NoncurrentDays: { } days }
                && rank >= (rule.NewerNoncurrentVersions ?? 0)
                && LifecycleClock.NextMidnightAfter(becameNoncurrent, days) <= now
                && rule.Filter.Matches(key, version.Size, version.Tags))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ExpiresDeleteMarker(LifecycleConfiguration configuration, string key)
    {
        foreach (var rule in configuration.Rules)
        {
            if (rule is { Enabled: true, ExpiredObjectDeleteMarker: true } && rule.Filter.Matches(key, 0, []))
            {
                return true;
            }
        }

        return false;
    }

    private async Task ScanUploadsAsync(string bucket, LifecycleConfiguration configuration, string? keyMarker, string? uploadIdMarker, string runId, DateTimeOffset now, LifecycleScanReport report, CancellationToken ct)
    {
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var listing = engine.ListMultipartUploads(bucket, null, keyMarker, uploadIdMarker, pageSize);
            foreach (var upload in listing.Uploads)
            {
                report.ObjectsScanned++;
                if (AbortDue(configuration, upload.Key, upload.Initiated, now))
                {
                    var bytes = PartBytes(bucket, upload.Key, upload.UploadId);
                    await _throttle.WaitAsync(ct);
                    if (await engine.AbortMultipartUploadAsync(bucket, upload.Key, upload.UploadId, ct) == EngineStatus.Ok)
                    {
                        report.UploadsAborted++;
                        report.BytesFreed += bytes;
                    }
                }

                keyMarker = upload.Key;
                uploadIdMarker = upload.UploadId;
            }

            if (listing.Uploads.Count > 0)
            {
                await SaveAsync(bucket, new LifecycleCursor(runId, LifecycleCursor.UploadsPhase, keyMarker, uploadIdMarker), ct);
            }

            if (!listing.IsTruncated || listing.Uploads.Count == 0)
            {
                return;
            }
        }
    }

    private static bool AbortDue(LifecycleConfiguration configuration, string key, DateTimeOffset initiated, DateTimeOffset now)
    {
        foreach (var rule in configuration.Rules)
        {
            if (rule is { Enabled: true, AbortIncompleteMultipartUploadDays: { } days }
                && rule.Filter.Matches(key, 0, [])
                && LifecycleClock.NextMidnightAfter(initiated, days) <= now)
            {
                return true;
            }
        }

        return false;
    }

    private long PartBytes(string bucket, string key, string uploadId)
    {
        long total = 0;
        var marker = 0;
        while (true)
        {
            var parts = engine.ListParts(bucket, key, uploadId, marker, 1000);
            if (parts.Status != EngineStatus.Ok)
            {
                return total;
            }

            foreach (var part in parts.Parts)
            {
                total += part.Size;
                marker = part.PartNumber;
            }

            if (!parts.IsTruncated || parts.Parts.Count == 0)
            {
                return total;
            }
        }
    }
}
