using System.Security.Cryptography;
using System.Text.Json;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>
/// Lifecycle expiry of versions, delete markers and multipart uploads through <c>/usr/bin/aws s3api</c> against the
/// running topology (current-version expiry is in <see cref="AwsS3ApiLifecycleTests"/>): each test configures a rule,
/// writes what it must remove and what it must keep, triggers every node's scanner and checks through
/// list-object-versions / list-multipart-uploads and get-object that exactly the due entries went and the rest is
/// byte-identical.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class AwsS3ApiLifecycleFlowTests(TopologyFixture topology) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-s3api-lcf-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task S3Api_NoncurrentVersionExpiration_KeepsNewerNoncurrentVersions()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = await BucketAsync("s3api-lc-nc", versioned: true);
        await RulesAsync(bucket, new { ID = "old-versions", Status = "Enabled", Filter = new { Prefix = "docs/" }, NoncurrentVersionExpiration = new { NoncurrentDays = 2, NewerNoncurrentVersions = 1 } });
        var docs = new List<(string Id, byte[] Data)>();
        for (var i = 0; i < 4; i++)
        {
            docs.Add(await PutAsync(bucket, "docs/report.bin", 4000 + i));
        }

        var other = new List<(string Id, byte[] Data)> { await PutAsync(bucket, "other/report.bin", 100), await PutAsync(bucket, "other/report.bin", 101) };

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        await AssertVersionsAsync(bucket, [("docs/report.bin", docs[3].Id, false), ("docs/report.bin", docs[2].Id, false), ("other/report.bin", other[1].Id, false), ("other/report.bin", other[0].Id, false)]);
        foreach (var (key, (id, data)) in new[] { ("docs/report.bin", docs[3]), ("docs/report.bin", docs[2]), ("other/report.bin", other[1]), ("other/report.bin", other[0]) })
        {
            Assert.Equal(data, await GetAsync(bucket, key, id));
        }

        var expired = await AwsCli.RunAsync(topology, Ct, "s3api", "get-object", "--bucket", bucket, "--key", "docs/report.bin", "--version-id", docs[1].Id, Path.Combine(_dir, "none"));
        Assert.NotEqual(0, expired.ExitCode);
        Assert.Contains("NoSuchVersion", expired.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3Api_ExpiredObjectDeleteMarker_RemovesOnlyLoneDeleteMarkers()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = await BucketAsync("s3api-lc-dm", versioned: true);
        await RulesAsync(bucket, new { ID = "markers", Status = "Enabled", Filter = new { Prefix = "" }, Expiration = new { ExpiredObjectDeleteMarker = true } });

        // "gone": only a delete marker is left. "kept": a marker over a noncurrent version. "live": a current version.
        var (goneId, _) = await PutAsync(bucket, "gone", 50);
        var goneMarker = (await Json("s3api", "delete-object", "--bucket", bucket, "--key", "gone")).GetProperty("VersionId").GetString()!;
        await Json("s3api", "delete-object", "--bucket", bucket, "--key", "gone", "--version-id", goneId);
        var (keptId, keptData) = await PutAsync(bucket, "kept", 2000);
        var keptMarker = (await Json("s3api", "delete-object", "--bucket", bucket, "--key", "kept")).GetProperty("VersionId").GetString()!;
        var (liveId, liveData) = await PutAsync(bucket, "live", 3000);
        await AssertVersionsAsync(bucket, [("gone", goneMarker, true), ("kept", keptMarker, true), ("kept", keptId, false), ("live", liveId, false)]);

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        await AssertVersionsAsync(bucket, [("kept", keptMarker, true), ("kept", keptId, false), ("live", liveId, false)]);
        Assert.Equal(keptData, await GetAsync(bucket, "kept", keptId));
        Assert.Equal(liveData, await GetAsync(bucket, "live", null));
    }

    [Fact]
    public async Task S3Api_AbortIncompleteMultipartUpload_AbortsOnlyTheRulesUploads()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = await BucketAsync("s3api-lc-mpu", versioned: false);
        await RulesAsync(bucket, new { ID = "mpu", Status = "Enabled", Filter = new { Prefix = "uploads/" }, AbortIncompleteMultipartUpload = new { DaysAfterInitiation = 1 } });
        var stale = (await Json("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "uploads/stale.bin")).GetProperty("UploadId").GetString()!;
        await Json("s3api", "upload-part", "--bucket", bucket, "--key", "uploads/stale.bin", "--upload-id", stale, "--part-number", "1", "--body", await FileAsync(RandomNumberGenerator.GetBytes(5000)));
        var kept = (await Json("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "keep/big.bin")).GetProperty("UploadId").GetString()!;
        var keptData = RandomNumberGenerator.GetBytes(6000);
        var etag = (await Json("s3api", "upload-part", "--bucket", bucket, "--key", "keep/big.bin", "--upload-id", kept, "--part-number", "1", "--body", await FileAsync(keptData))).GetProperty("ETag").GetString()!;

        await LifecycleRuns.RunOnEveryNodeAsync(topology, Ct);

        var uploads = await Json("s3api", "list-multipart-uploads", "--bucket", bucket);
        var remaining = Assert.Single(uploads.GetProperty("Uploads").EnumerateArray());
        Assert.Equal(("keep/big.bin", kept), (remaining.GetProperty("Key").GetString(), remaining.GetProperty("UploadId").GetString()));
        var aborted = await AwsCli.RunAsync(topology, Ct, "s3api", "list-parts", "--bucket", bucket, "--key", "uploads/stale.bin", "--upload-id", stale);
        Assert.NotEqual(0, aborted.ExitCode);
        Assert.Contains("NoSuchUpload", aborted.StdErr, StringComparison.Ordinal);

        var parts = JsonSerializer.Serialize(new { Parts = new[] { new { ETag = etag, PartNumber = 1 } } });
        await Json("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "keep/big.bin", "--upload-id", kept, "--multipart-upload", parts);
        Assert.Equal(keptData, await GetAsync(bucket, "keep/big.bin", null));
    }

    private async Task<string> BucketAsync(string hint, bool versioned)
    {
        var bucket = hint + "-" + Guid.NewGuid().ToString("N")[..10];
        await Json("s3api", "create-bucket", "--bucket", bucket);
        if (versioned)
        {
            await Json("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
        }

        return bucket;
    }

    private Task RulesAsync(string bucket, object rule) =>
        Json("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration", JsonSerializer.Serialize(new { Rules = new[] { rule } }));

    private async Task<string> FileAsync(byte[] data)
    {
        var file = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, data, Ct);
        return file;
    }

    /// <summary>Puts random bytes of <paramref name="size"/>; returns the new version id ("" in an unversioned bucket) and the bytes.</summary>
    private async Task<(string Id, byte[] Data)> PutAsync(string bucket, string key, int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);
        var put = await Json("s3api", "put-object", "--bucket", bucket, "--key", key, "--body", await FileAsync(data));
        return (put.TryGetProperty("VersionId", out var id) ? id.GetString()! : "", data);
    }

    private async Task<byte[]> GetAsync(string bucket, string key, string? versionId)
    {
        var output = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        string[] version = versionId is null ? [] : ["--version-id", versionId];
        await Json(["s3api", "get-object", "--bucket", bucket, "--key", key, .. version, output]);
        return await File.ReadAllBytesAsync(output, Ct);
    }

    /// <summary>list-object-versions holds exactly these (key, version id, is delete marker) entries.</summary>
    private async Task AssertVersionsAsync(string bucket, (string Key, string VersionId, bool DeleteMarker)[] expected)
    {
        var listed = await Json("s3api", "list-object-versions", "--bucket", bucket);
        var actual = new List<string>();
        foreach (var (property, marker) in new[] { ("Versions", false), ("DeleteMarkers", true) })
        {
            if (listed.TryGetProperty(property, out var entries))
            {
                actual.AddRange(entries.EnumerateArray().Select(e => $"{e.GetProperty("Key").GetString()} {e.GetProperty("VersionId").GetString()} {marker}"));
            }
        }

        Assert.Equal(expected.Select(e => $"{e.Key} {e.VersionId} {e.DeleteMarker}").Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await AwsCli.RunAsync(topology, Ct, args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {stderr}");
        return string.IsNullOrWhiteSpace(stdout) ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
