namespace ComIO.IntegrationTests.Cli;

/// <summary>
/// <c>ComIO.Cli</c> packs as a .NET tool and installs offline from the local package folder alone (a nuget.config that
/// clears every other source), then runs as <c>comio</c>.
/// </summary>
public sealed class ComioToolPackageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("comio-tool-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pack_InstallFromLocalFolderOffline_RunsHelp()
    {
        var packages = Path.Combine(_dir, "packages");
        var tools = Path.Combine(_dir, "tools");
        await ComioCli.RunAsync(new Dictionary<string, string>(), Ct, [], "--version"); // ensures the CLI is built
        var pack = await Infrastructure.ExternalProcess.RunAsync(
            "dotnet",
            ["pack", Path.Combine(ComioCli.RepoRoot, "ComIO.Cli", "ComIO.Cli.csproj"), "-c", ComioCli.Configuration, "--no-build", "-o", packages, "-v", "q", "-nologo"],
            new Dictionary<string, string>(),
            TimeSpan.FromMinutes(3),
            Ct,
            workingDirectory: ComioCli.RepoRoot);
        Assert.True(pack.ExitCode == 0, pack.Describe("dotnet pack"));
        Assert.Single(Directory.GetFiles(packages, "comio.*.nupkg"));

        var nugetConfig = Path.Combine(_dir, "nuget.config");
        await File.WriteAllTextAsync(nugetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """, Ct);
        var install = await Infrastructure.ExternalProcess.RunAsync(
            "dotnet",
            ["tool", "install", "--tool-path", tools, "--configfile", nugetConfig, "comio"],
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            TimeSpan.FromMinutes(2),
            Ct,
            workingDirectory: _dir);
        Assert.True(install.ExitCode == 0, install.Describe("dotnet tool install"));

        var help = await Infrastructure.ExternalProcess.RunAsync(Path.Combine(tools, "comio"), ["--help"], new Dictionary<string, string>(), TimeSpan.FromMinutes(1), Ct);
        Assert.True(help.ExitCode == 129, help.Describe("comio --help")); // Cocona's exit code for a help screen
        var version = await Infrastructure.ExternalProcess.RunAsync(Path.Combine(tools, "comio"), ["--version"], new Dictionary<string, string>(), TimeSpan.FromMinutes(1), Ct);
        Assert.True(version.ExitCode == 0 && version.StdOut.Contains("0.1.0", StringComparison.Ordinal), version.Describe("comio --version"));
        foreach (var command in new[] { "server", "bucket", "object", "admin", "lifecycle", "replication", "device", "config" })
        {
            Assert.Contains(command, help.StdOut, StringComparison.Ordinal);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
