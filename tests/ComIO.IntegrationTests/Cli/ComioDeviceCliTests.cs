using System.Text.Json;

namespace ComIO.IntegrationTests.Cli;

/// <summary><c>comio device format|info</c> on image files: create, read back, refuse to reformat without --force.</summary>
public sealed class ComioDeviceCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-device-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeviceFormat_CreatesImage_InfoReadsIt_AndReformatNeedsForce()
    {
        var image = Path.Combine(_dir, "sub", "device.img");
        var format = await Run("device", "format", image, "--size-mib", "64");
        Assert.True(format.ExitCode == 0, format.Describe("device format"));
        Assert.Equal(64L * 1024 * 1024, new FileInfo(image).Length);

        using var info = JsonDocument.Parse((await Expect("device", "info", image, "--json")).StdOut);
        var deviceId = info.RootElement.GetProperty("deviceId").GetString();
        Assert.Equal(4096, info.RootElement.GetProperty("blockSize").GetInt32());
        Assert.Equal(64L * 1024 * 1024, info.RootElement.GetProperty("capacityBytes").GetInt64());
        Assert.Equal(1, info.RootElement.GetProperty("formatVersion").GetInt32());
        Assert.Contains(deviceId!, (await Expect("device", "info", image)).StdOut, StringComparison.Ordinal);

        var again = await Run("device", "format", image);
        Assert.Equal(1, again.ExitCode);
        var line = Assert.Single(again.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("already holds a ComIO superblock", line, StringComparison.Ordinal);
        using (var unchanged = JsonDocument.Parse((await Expect("device", "info", image, "--json")).StdOut))
        {
            Assert.Equal(deviceId, unchanged.RootElement.GetProperty("deviceId").GetString());
        }

        await Expect("device", "format", image, "--force");
        using var reformatted = JsonDocument.Parse((await Expect("device", "info", image, "--json")).StdOut);
        Assert.NotEqual(deviceId, reformatted.RootElement.GetProperty("deviceId").GetString());
    }

    [Fact]
    public async Task DeviceInfo_ForeignOrMissingFile_FailsWithOneLine()
    {
        var foreign = Path.Combine(_dir, "foreign.img");
        await File.WriteAllBytesAsync(foreign, new byte[1024 * 1024], Ct);
        var result = await Run("device", "info", foreign);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"comio: {foreign}: no valid ComIO superblock", Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        var missing = await Run("device", "info", Path.Combine(_dir, "missing.img"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.StdErr, StringComparison.Ordinal);

        var usage = await Run("device", "format", Path.Combine(_dir, "x.img"), "--block-size", "1000");
        Assert.Equal(2, usage.ExitCode);
        Assert.False(File.Exists(Path.Combine(_dir, "x.img")));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ComioResult> Run(params string[] args) => ComioCli.RunAsync(new Dictionary<string, string>(), Ct, [], args);

    private static async Task<ComioResult> Expect(params string[] args)
    {
        var result = await Run(args);
        Assert.True(result.ExitCode == 0, result.Describe(string.Join(' ', args)));
        return result;
    }
}
