using System.Diagnostics;
using ComIO.Storage.Devices;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>Runs the engine on a real block device (a loop device over a temp image) when <c>losetup</c> is usable.</summary>
public sealed class LoopDeviceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StorageEngine_RoundTripsObjects_OnLoopBlockDevice()
    {
        using var directory = new TempDirectory();
        var image = directory.Combine("loop.img");
        using (var file = File.Create(image))
        {
            file.SetLength(32L * 1024 * 1024);
        }

        var (exitCode, output) = Run("losetup", $"-f --show --direct-io=on {image}");
        if (exitCode != 0 || !output.StartsWith("/dev/loop", StringComparison.Ordinal))
        {
            Assert.Skip($"losetup is not usable here (exit {exitCode}): {output}");
        }

        var loop = output.Trim();
        try
        {
            using (var device = DirectIoBlockDevice.Open(loop))
            {
                Assert.True(device.IsBlockDevice);
                Assert.Equal(32L * 1024 * 1024, device.Capacity);
            }

            DeviceFormatter.Format(loop, 0);
            Assert.True(DeviceFormatter.TryReadSuperblock(loop, out var superblock, out var problem), problem);
            Assert.Equal(32L * 1024 * 1024, superblock!.Capacity);

            var options = new StorageEngineOptions { DevicePath = loop, DeviceKind = DeviceKind.Block, MetadataPath = directory.Combine("meta") };
            var data = TestData.Random((2 * 1024 * 1024) + 77, 5);
            await using (var engine = await StorageEngine.OpenAsync(options, Ct))
            {
                await engine.CreateBucketAsync("b", Ct);
                Assert.Equal(EngineStatus.Ok, (await engine.PutAsync("b", "k", data)).Status);
            }

            await using (var engine = await StorageEngine.OpenAsync(options, Ct))
            {
                Assert.Equal(data, await engine.ReadAllAsync("b", "k"));
                Assert.Empty((await engine.ScrubAsync(Ct)).Findings);
            }
        }
        finally
        {
            Run("losetup", $"-d {loop}");
        }
    }

    private static (int ExitCode, string Output) Run(string file, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Trim());
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
