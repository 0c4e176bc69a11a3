using System.Security.Cryptography;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

[Collection(TopologyCollection.Name)]
public sealed class AwsCliTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AwsCli_MakesBucket_CopiesListsReadsAndRemoves()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "cli-" + Guid.NewGuid().ToString("N")[..10];
        var local = Path.Combine(Path.GetTempPath(), "comio-cli-" + Guid.NewGuid().ToString("N"));
        var data = RandomNumberGenerator.GetBytes(1_500_000);
        await File.WriteAllBytesAsync(local, data, Ct);
        try
        {
            await Expect(0, "s3", "mb", $"s3://{bucket}");
            await Expect(0, "s3", "cp", local, $"s3://{bucket}/dir/file.bin");

            var ls = await Expect(0, "s3", "ls", $"s3://{bucket}");
            Assert.Contains("PRE dir/", ls, StringComparison.Ordinal);
            var recursive = await Expect(0, "s3", "ls", $"s3://{bucket}", "--recursive");
            Assert.Contains("1500000 dir/file.bin", recursive, StringComparison.Ordinal);

            var copy = local + ".back";
            await Expect(0, "s3", "cp", $"s3://{bucket}/dir/file.bin", copy);
            Assert.Equal(data, await File.ReadAllBytesAsync(copy, Ct));
            File.Delete(copy);

            var head = await Expect(0, "s3api", "head-object", "--bucket", bucket, "--key", "dir/file.bin");
            Assert.Contains($"\\\"{Convert.ToHexStringLower(MD5.HashData(data))}\\\"", head, StringComparison.Ordinal);

            await Expect(0, "s3", "rm", $"s3://{bucket}/dir/file.bin");
            Assert.DoesNotContain("file.bin", await Expect(0, "s3", "ls", $"s3://{bucket}", "--recursive"), StringComparison.Ordinal);

            var missing = await AwsCli.RunAsync(topology, Ct, "s3api", "head-bucket", "--bucket", bucket + "-missing");
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("404", missing.StdErr, StringComparison.Ordinal);

            await Expect(0, "s3", "rb", $"s3://{bucket}");
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task AwsCli_StreamsObjectToStdout()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "cli-out-" + Guid.NewGuid().ToString("N")[..8];
        var local = Path.Combine(Path.GetTempPath(), "comio-cli-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(local, "streamed through stdout\n", Ct);
        try
        {
            await Expect(0, "s3", "mb", $"s3://{bucket}");
            await Expect(0, "s3", "cp", local, $"s3://{bucket}/a.txt");
            Assert.Equal("streamed through stdout\n", await Expect(0, "s3", "cp", $"s3://{bucket}/a.txt", "-"));
            await Expect(0, "s3", "rm", $"s3://{bucket}/a.txt");
            await Expect(0, "s3", "rb", $"s3://{bucket}");
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact]
    public async Task AwsCli_CopiesLargeFilesWithMultipart_AndSyncsTrees()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "cli-mp-" + Guid.NewGuid().ToString("N")[..8];
        var root = Path.Combine(Path.GetTempPath(), "comio-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "tree", "sub"));
        var big = RandomNumberGenerator.GetBytes(25 * 1024 * 1024); // above the CLI's 8 MiB multipart threshold
        await File.WriteAllBytesAsync(Path.Combine(root, "big.bin"), big, Ct);
        for (var i = 0; i < 5; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(root, "tree", i % 2 == 0 ? "sub" : "", $"f{i}.dat"), RandomNumberGenerator.GetBytes(1000 * (i + 1)), Ct);
        }

        try
        {
            await Expect(0, "s3", "mb", $"s3://{bucket}");
            await Expect(0, "s3", "cp", Path.Combine(root, "big.bin"), $"s3://{bucket}/big.bin");
            var head = await Expect(0, "s3api", "head-object", "--bucket", bucket, "--key", "big.bin");
            Assert.Contains("-4\\\"", head, StringComparison.Ordinal); // multipart ETag: 4 parts of 8 MiB
            await Expect(0, "s3", "cp", $"s3://{bucket}/big.bin", Path.Combine(root, "big.back"));
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(root, "big.back"), Ct));

            await Expect(0, "s3", "sync", Path.Combine(root, "tree"), $"s3://{bucket}/tree");
            var listing = await Expect(0, "s3", "ls", $"s3://{bucket}/tree/", "--recursive");
            Assert.Equal(5, listing.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal("", (await Expect(0, "s3", "sync", Path.Combine(root, "tree"), $"s3://{bucket}/tree")).Trim()); // nothing to do

            await Expect(0, "s3", "rm", $"s3://{bucket}", "--recursive");
            await Expect(0, "s3", "rb", $"s3://{bucket}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private async Task<string> Expect(int exitCode, params string[] args)
    {
        var (code, stdout, stderr) = await AwsCli.RunAsync(topology, Ct, args);
        Assert.True(code == exitCode, $"aws {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
