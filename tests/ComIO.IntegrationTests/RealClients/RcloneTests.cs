using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.RealClients;

/// <summary>
/// Drives ComIO with Debian's rclone (<c>/usr/bin/rclone</c>), configured only through environment variables:
/// sync a local tree, check it, change the tree, sync and check again, compare <c>lsjson</c>, purge.
/// All files are at most 3 MiB, far below rclone's default 200 MiB upload cutoff, so rclone never tries a multipart
/// upload (not implemented in ComIO yet) and needs no extra flags; the bucket check is left on so rclone creates it.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class RcloneTests(TopologyFixture topology)
{
    private const string Rclone = "/usr/bin/rclone";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    // S3 lists keys in UTF-8 byte order, which differs from UTF-16 ordinal order for characters beyond U+FFFF.
    private static readonly Comparer<string> Utf8Order = Comparer<string>.Create(
        (a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    [Fact(Timeout = 300_000)]
    public async Task Rclone_SyncsChecksResyncsListsAndPurges_NestedUnicodeTree()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(File.Exists(Rclone), $"{Rclone} is not installed (run `make setup`).");
        var bucket = "rclone-" + Guid.NewGuid().ToString("N")[..10];
        var local = Path.Combine(Path.GetTempPath(), "comio-rclone-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(local);
        var random = new Random(20261126);
        try
        {
            // 30 files: nested folders, 0 B .. 3 MiB, spaces, accents, CJK, emoji and URL-special characters.
            var sizes = new[] { 0, 1, 2, 15, 100, 511, 512, 1000, 4095, 4096, 4097, 8191, 16_384, 65_535, 65_536, 100_000, 262_144, 500_000, 1_048_575, 1_048_576, 2_000_000, 3 * 1024 * 1024, 0, 7, 33_333, 123_456, 777, 3 * 1024 * 1024 - 1, 42, 9_999 };
            var names = new[]
            {
                "top.txt", "empty file.txt", "one byte", "dir one/a b c.txt", "dir one/nested/deep/file.bin",
                "dir one/nested/deep/er/deepest.dat", "Ünïcödé/grüße.txt", "Ünïcödé/Straße/ß.bin", "日本語/テスト ファイル.dat",
                "日本語/子/データ.bin", "emoji 🎉/party 🎈.bin", "special/plus+and&equals=.txt", "special/percent%20literal.txt",
                "special/semi;colon,comma.txt", "special/quote's (paren) [bracket].txt", "aligned/4095.bin", "aligned/4096.bin",
                "aligned/4097.bin", "aligned/8191.bin", "aligned/16k.bin", "big/one-mib-minus-one.bin", "big/one-mib.bin",
                "big/two-mb.bin", "big/three-mib.bin", "empty/zero.bin", "mixed Case/File.TXT", "mixed Case/file.txt",
                "x/y/z/w/v/u/t/s.txt", "big/three-mib-minus-one.bin", "tail/last file.txt",
            };
            Assert.Equal(30, names.Length);
            Assert.Equal(names.Length, sizes.Length);
            var baseTime = new DateTime(2024, 3, 4, 5, 6, 7, 123, DateTimeKind.Utc);
            for (var i = 0; i < names.Length; i++)
            {
                await WriteLocalAsync(local, names[i], sizes[i], random, baseTime.AddMinutes(i));
            }

            var elapsed = Stopwatch.StartNew();
            await ExpectAsync("sync #1", "sync", local, Remote(bucket), "--transfers", "8", "--checkers", "8");
            Output?.WriteLine($"rclone sync #1 (30 files, {sizes.Sum() / 1048576.0:F1} MiB): {elapsed.ElapsedMilliseconds} ms");
            await CheckAsync(local, bucket, 30);
            await AssertBucketKeysAsync(bucket, local);

            // Change the tree: new content (same size and different size), a touch (mtime only), deletions, additions.
            await WriteLocalAsync(local, "dir one/a b c.txt", sizes[3], random, baseTime.AddDays(1)); // same size, new bytes
            await WriteLocalAsync(local, "Ünïcödé/grüße.txt", 12_345, random, baseTime.AddDays(1));
            await WriteLocalAsync(local, "empty file.txt", 10, random, baseTime.AddDays(1));
            File.SetLastWriteTimeUtc(Path.Combine(local, "big", "two-mb.bin"), baseTime.AddDays(2));
            File.Delete(Path.Combine(local, "one byte"));
            File.Delete(Path.Combine(local, "emoji 🎉", "party 🎈.bin"));
            File.Delete(Path.Combine(local, "special", "percent%20literal.txt"));
            File.Delete(Path.Combine(local, "big", "three-mib.bin"));
            await WriteLocalAsync(local, "new dir/ñew fïle.txt", 2048, random, baseTime.AddDays(3));
            await WriteLocalAsync(local, "top2.txt", 0, random, baseTime.AddDays(3));

            elapsed.Restart();
            var sync2 = await ExpectAsync("sync #2", "sync", local, Remote(bucket), "--transfers", "8", "--checkers", "8", "-v");
            Output?.WriteLine($"rclone sync #2: {elapsed.ElapsedMilliseconds} ms");
            Assert.Contains("Deleted", sync2.StdErr, StringComparison.Ordinal);
            await CheckAsync(local, bucket, 28);
            await AssertBucketKeysAsync(bucket, local);

            // lsjson: path, size, MD5 and modification time of every object must equal the local tree.
            var lsjson = await ExpectAsync("lsjson", "lsjson", "-R", "--files-only", "--hash", Remote(bucket));
            using var listing = JsonDocument.Parse(lsjson.StdOut);
            var remote = listing.RootElement.EnumerateArray()
                .Select(e => (Path: e.GetProperty("Path").GetString()!, Size: e.GetProperty("Size").GetInt64(),
                    Md5: e.GetProperty("Hashes").GetProperty("md5").GetString()!, ModTime: e.GetProperty("ModTime").GetString()!))
                .OrderBy(e => e.Path, Utf8Order)
                .ToList();
            var expected = LocalFiles(local).ToList();
            Assert.Equal(expected.Select(e => e.Key), remote.Select(r => r.Path));
            foreach (var (entry, (_, path)) in remote.Zip(expected))
            {
                var bytes = await File.ReadAllBytesAsync(path, ct);
                Assert.Equal(bytes.Length, entry.Size);
                Assert.Equal(Convert.ToHexStringLower(MD5.HashData(bytes)), entry.Md5);
                var modTime = ParseRcloneTime(entry.ModTime);
                Assert.True(Math.Abs((modTime - File.GetLastWriteTimeUtc(path)).TotalMilliseconds) < 1,
                    $"{entry.Path}: remote ModTime {entry.ModTime}, local {File.GetLastWriteTimeUtc(path):O}");
            }

            await ExpectAsync("purge", "purge", Remote(bucket));
            using var s3 = topology.CreateClient();
            var gone = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, ct));
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        finally
        {
            Directory.Delete(local, recursive: true);
            using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var s3 = topology.CreateClient();
            await BucketJanitor.DeleteBucketIfExistsAsync(s3, bucket, cleanup.Token);
        }
    }

    private static string Remote(string bucket) => "comio:" + bucket;

    private static async Task WriteLocalAsync(string root, string relative, int size, Random random, DateTime modified)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var data = new byte[size];
        random.NextBytes(data);
        await File.WriteAllBytesAsync(path, data, Ct);
        File.SetLastWriteTimeUtc(path, modified);
    }

    private static IEnumerable<KeyValuePair<string, string>> LocalFiles(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => KeyValuePair.Create(Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), f))
            .OrderBy(p => p.Key, Utf8Order);

    private static DateTime ParseRcloneTime(string text)
    {
        // rclone prints up to nanoseconds ("2024-03-04T05:06:07.123000000Z"); .NET parses at most 7 fraction digits.
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?<s>[^.Z+]+)(\.(?<f>\d+))?(?<z>Z|[+-]\d\d:\d\d)$");
        Assert.True(match.Success, $"unexpected rclone time {text}");
        var fraction = match.Groups["f"].Success ? "." + match.Groups["f"].Value[..Math.Min(7, match.Groups["f"].Value.Length)] : "";
        return DateTimeOffset.Parse(match.Groups["s"].Value + fraction + match.Groups["z"].Value, CultureInfo.InvariantCulture).UtcDateTime;
    }

    private async Task CheckAsync(string local, string bucket, int files)
    {
        var check = await ExpectAsync("check", "check", local, Remote(bucket));
        Assert.Contains(": 0 differences found", check.StdErr, StringComparison.Ordinal);
        Assert.Contains($": {files} matching files", check.StdErr, StringComparison.Ordinal);
        // Hashes must really be compared (ComIO returns MD5 ETags), not skipped for lack of a common hash.
        Assert.DoesNotContain("hashes could not be checked", check.StdErr, StringComparison.Ordinal);
    }

    private async Task AssertBucketKeysAsync(string bucket, string local)
    {
        // rclone must store the local names as plain S3 keys (no encoding artefacts) with the local bytes.
        using var s3 = topology.CreateClient();
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token, MaxKeys = 7 }, Ct);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        Assert.Equal(LocalFiles(local).Select(p => p.Key), keys);
    }

    private async Task<ExternalProcessResult> ExpectAsync(string what, params string[] args)
    {
        var endpoint = topology.S3Endpoint.ToString().TrimEnd('/');
        var result = await ExternalProcess.RunAsync(Rclone, args, new Dictionary<string, string>
        {
            ["RCLONE_CONFIG"] = "/dev/null",
            ["RCLONE_CONFIG_COMIO_TYPE"] = "s3",
            ["RCLONE_CONFIG_COMIO_PROVIDER"] = "Other",
            ["RCLONE_CONFIG_COMIO_ENDPOINT"] = endpoint,
            ["RCLONE_CONFIG_COMIO_ACCESS_KEY_ID"] = TopologyFixture.AccessKey,
            ["RCLONE_CONFIG_COMIO_SECRET_ACCESS_KEY"] = TopologyFixture.SecretKey,
            ["RCLONE_CONFIG_COMIO_REGION"] = "us-east-1",
            ["RCLONE_CONFIG_COMIO_FORCE_PATH_STYLE"] = "true",
            ["RCLONE_RETRIES"] = "1",
            ["RCLONE_LOW_LEVEL_RETRIES"] = "1",
            ["NO_PROXY"] = "*",
        }, CommandTimeout, Ct);
        Assert.True(result.ExitCode == 0, result.Describe($"rclone {what} ({string.Join(' ', args)})"));
        return result;
    }
}
