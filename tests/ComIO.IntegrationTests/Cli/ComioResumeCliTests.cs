using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Cli;

/// <summary>
/// Resumable <c>comio object put</c> (issue 9): the real binary is killed with SIGKILL in the middle of a multipart upload
/// (throttled with <c>--limit-rate</c> so the kill lands after some parts are on the server), then the same command runs
/// again. It must continue the saved upload (parts already uploaded are not sent again), start over when the local file
/// changed (aborting the stale upload) or the upload vanished, and the object must round-trip by checksum.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed partial class ComioResumeCliTests(TopologyFixture topology) : IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly string _configDir = Path.Combine(Path.GetTempPath(), "comio-resume-cfg-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _workDir = Directory.CreateTempSubdirectory("comio-resume-work-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Dictionary<string, string> Env => ComioCli.EnvironmentFor(topology, _configDir);

    private string UploadsDir => Path.Combine(_configDir, "uploads");

    [Fact]
    public async Task Put_KilledMidUpload_RerunResumesWithFewerParts_AndRoundTrips()
    {
        var bucket = await CreateBucketAsync("comio-resume-");
        var local = Path.Combine(_workDir, "200m.bin");
        var sha = await WriteRandomFileAsync(local, 200 * MiB);

        var (uploadId, partsBeforeKill) = await StartAndKillAfterPartsAsync(bucket, "big/file.bin", local, minParts: 3);
        Assert.Single(Directory.GetFiles(UploadsDir, "*.json"));

        var rerun = await ComioCli.RunAsync(Env, TimeSpan.FromMinutes(4), Ct, null, "object", "put", $"{bucket}/big/file.bin", "--file", local);
        Assert.True(rerun.ExitCode == 0, rerun.Describe("object put (re-run)"));
        var resumed = ResumingLine().Match(rerun.StdErr);
        Assert.True(resumed.Success, rerun.Describe("object put (re-run): no 'resuming upload' line"));
        Assert.Equal(uploadId, resumed.Groups["id"].Value);
        var already = int.Parse(resumed.Groups["done"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(25, int.Parse(resumed.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture)); // 200 MiB / 8 MiB
        Assert.InRange(already, partsBeforeKill, 24); // every part seen before the kill is kept, and the re-run sent the rest
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"killed after {partsBeforeKill} parts were listed; re-run: {already} of 25 parts already uploaded, sent {25 - already}");
        Assert.Contains("-25\"", rerun.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(UploadsDir, "*.json"));

        using var s3 = topology.CreateClient();
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }, Ct);
        Assert.Empty(uploads.MultipartUploads ?? []);
        await AssertRoundTripAsync(bucket, "big/file.bin", sha);
    }

    [Fact]
    public async Task Put_LocalFileChangedAfterKill_AbortsStaleUploadAndStartsOver()
    {
        var bucket = await CreateBucketAsync("comio-resume-chg-");
        var local = Path.Combine(_workDir, "40m.bin");
        await WriteRandomFileAsync(local, 40 * MiB);
        var (staleId, _) = await StartAndKillAfterPartsAsync(bucket, "file.bin", local, minParts: 1, rate: "4M");

        var sha = await WriteRandomFileAsync(local, 40 * MiB); // same size, new content and modification time
        File.SetLastWriteTimeUtc(local, DateTime.UtcNow.AddMinutes(1));
        var rerun = await ComioCli.RunAsync(Env, TimeSpan.FromMinutes(2), Ct, null, "object", "put", $"{bucket}/file.bin", "--file", local);
        Assert.True(rerun.ExitCode == 0, rerun.Describe("object put (changed file)"));
        Assert.Contains($"changed since upload {staleId} was interrupted: aborted it, starting over", rerun.StdErr, StringComparison.Ordinal);
        Assert.DoesNotMatch(ResumingLine(), rerun.StdErr);
        Assert.Empty(Directory.GetFiles(UploadsDir, "*.json"));

        using var s3 = topology.CreateClient();
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }, Ct);
        Assert.Empty(uploads.MultipartUploads ?? []);
        await AssertRoundTripAsync(bucket, "file.bin", sha);
    }

    [Fact]
    public async Task Put_UploadVanishedAfterKill_StartsOver_AndNoResumeSavesNothing()
    {
        var bucket = await CreateBucketAsync("comio-resume-gone-");
        // 6 parts of 8 MiB, 4 in parallel: the first four finish together, seconds before the last two, so the kill
        // lands between them (with 3 parts all would finish at once, leaving no window).
        var local = Path.Combine(_workDir, "48m.bin");
        var sha = await WriteRandomFileAsync(local, 48 * MiB);
        var (uploadId, _) = await StartAndKillAfterPartsAsync(bucket, "file.bin", local, minParts: 1, rate: "4M");
        using var s3 = topology.CreateClient();
        await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = "file.bin", UploadId = uploadId }, Ct);

        var rerun = await ComioCli.RunAsync(Env, TimeSpan.FromMinutes(2), Ct, null, "object", "put", $"{bucket}/file.bin", "--file", local);
        Assert.True(rerun.ExitCode == 0, rerun.Describe("object put (vanished upload)"));
        Assert.Contains($"upload {uploadId} of {bucket}/file.bin no longer exists on the server: starting over", rerun.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(UploadsDir, "*.json"));
        await AssertRoundTripAsync(bucket, "file.bin", sha);

        // --no-resume: no state is written, even for a multipart upload.
        var plain = await ComioCli.RunAsync(Env, TimeSpan.FromMinutes(2), Ct, null, "object", "put", $"{bucket}/again.bin", "--file", local, "--no-resume");
        Assert.True(plain.ExitCode == 0, plain.Describe("object put --no-resume"));
        Assert.DoesNotMatch(ResumingLine(), plain.StdErr);
        Assert.Empty(Directory.GetFiles(UploadsDir, "*.json"));
        await AssertRoundTripAsync(bucket, "again.bin", sha);
    }

    public void Dispose()
    {
        foreach (var dir in new[] { _configDir, _workDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [GeneratedRegex(@"resuming upload (?<id>\S+) of \S+: (?<done>\d+) of (?<total>\d+) parts already uploaded")]
    private static partial Regex ResumingLine();

    /// <summary>Starts a throttled <c>object put</c>, waits until the server lists at least <paramref name="minParts"/>
    /// parts of its upload, then kills the CLI with SIGKILL. Returns the upload id and the parts listed before the kill.</summary>
    private async Task<(string UploadId, int Parts)> StartAndKillAfterPartsAsync(string bucket, string key, string local, int minParts, string rate = "20M")
    {
        var start = await ComioCli.StartInfoAsync(Env, ["object", "put", $"{bucket}/{key}", "--file", local, "--limit-rate", rate], Ct);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start comio");
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        process.StandardInput.Close();
        using var s3 = topology.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        try
        {
            while (DateTime.UtcNow < deadline && !process.HasExited)
            {
                var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = key }, Ct);
                var upload = uploads.MultipartUploads?.FirstOrDefault(u => u.Key == key);
                if (upload is not null)
                {
                    var parts = await s3.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId }, Ct);
                    var count = parts.Parts?.Count ?? 0;
                    if (count >= minParts)
                    {
                        process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
                        await process.WaitForExitAsync(Ct);
                        return (upload.UploadId, count);
                    }
                }

                await Task.Delay(100, Ct);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Assert.Fail($"no upload with {minParts} parts before the CLI finished (exited: {process.HasExited})\n{await stdout}\n{await stderr}");
        return default;
    }

    private async Task<string> CreateBucketAsync(string prefix)
    {
        var bucket = prefix + Guid.NewGuid().ToString("N")[..8];
        var created = await ComioCli.RunAsync(Env, Ct, null, "bucket", "create", bucket);
        Assert.True(created.ExitCode == 0, created.Describe("bucket create"));
        return bucket;
    }

    private async Task AssertRoundTripAsync(string bucket, string key, byte[] sha)
    {
        var back = Path.Combine(_workDir, "back-" + Guid.NewGuid().ToString("N")[..8]);
        var get = await ComioCli.RunAsync(Env, TimeSpan.FromMinutes(2), Ct, null, "object", "get", $"{bucket}/{key}", "--file", back);
        Assert.True(get.ExitCode == 0, get.Describe("object get"));
        await using (var file = File.OpenRead(back))
        {
            Assert.Equal(sha, await SHA256.HashDataAsync(file, Ct));
        }

        File.Delete(back);
    }

    /// <summary>Writes <paramref name="size"/> random bytes (1 MiB at a time) and returns their SHA-256.</summary>
    private static async Task<byte[]> WriteRandomFileAsync(string path, int size)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[MiB];
        await using (var file = File.Create(path))
        {
            for (var written = 0; written < size; written += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                sha.AppendData(chunk);
                await file.WriteAsync(chunk, Ct);
            }
        }

        return sha.GetHashAndReset();
    }
}
