using System.Diagnostics;
using Xunit;

namespace ComIO.ApiService.Tests.Configuration;

/// <summary>
/// A real service process (<c>ComIO.StorageNode</c>, built next to these tests) started with an invalid YAML file exits
/// with code 78 and exactly one stderr line naming the file, line and key.
/// </summary>
public sealed class ServiceStartupConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StorageNode_InvalidConfigFile_Exits78WithOneLineNamingFileLineAndKey()
    {
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, """
            storage:
              metadata_path: ./meta
              devices:
                - path: ./device.img
                  type: tape
            cluster:
              secret: s
            """, TestContext.Current.CancellationToken);

        var (exitCode, stdErr) = await RunStorageNodeAsync("--config", config);

        Assert.Equal(78, exitCode);
        var line = Assert.Single(stdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"configuration error: {config}:5: storage.devices[0].type: 'tape' is not valid; use 'file' or 'block'", line.TrimEnd('\r'));
    }

    [Fact]
    public async Task StorageNode_UnknownKeyFromComioConfigVariable_Exits78WithOneLine()
    {
        var config = Path.Combine(_dir, "config.yaml");
        await File.WriteAllTextAsync(config, "server:\n  port: 8080\n  threads: 4\n", TestContext.Current.CancellationToken);

        var (exitCode, stdErr) = await RunStorageNodeAsync(environment: ("COMIO_CONFIG", config));

        Assert.Equal(78, exitCode);
        var line = Assert.Single(stdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"configuration error: {config}:3: server.threads: unknown key", line, StringComparison.Ordinal);
    }

    private static Task<(int ExitCode, string StdErr)> RunStorageNodeAsync(params string[] args) => RunStorageNodeAsync(null, args);

    private static async Task<(int ExitCode, string StdErr)> RunStorageNodeAsync((string Name, string Value)? environment, params string[] args)
    {
        // tests/ComIO.ApiService.Tests/bin/{Configuration}/net10.0/ -> ComIO.StorageNode/bin/{Configuration}/net10.0/
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var nodeBin = Path.Combine(ConfigurationFileValidatorTests.RepositoryRoot(), "ComIO.StorageNode", "bin", configuration, testBin.Name);
        var dll = Path.Combine(nodeBin, "ComIO.StorageNode.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing (build ComIO.StorageNode)");

        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = nodeBin, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("COMIO_CONFIG");
        if (environment is { } variable)
        {
            start.Environment[variable.Name] = variable.Value;
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdOut = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stdErr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await stdOut;
        return (process.ExitCode, await stdErr);
    }
}
