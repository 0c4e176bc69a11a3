using System.Diagnostics;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Cli;

/// <summary>Result of one <c>comio</c> run: exit code, raw stdout bytes and stderr text.</summary>
public sealed record ComioResult(int ExitCode, byte[] StdOutBytes, string StdErr)
{
    public string StdOut => System.Text.Encoding.UTF8.GetString(StdOutBytes);

    public string Describe(string what) => $"comio {what} exited {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>
/// Runs the real built <c>comio</c> CLI (<c>ComIO.Cli/bin/&lt;Configuration&gt;/net10.0/comio.dll</c>, built on first use
/// when missing) with <c>dotnet</c>, hermetically: inherited <c>AWS_*</c>/<c>COMIO_*</c> variables are removed, the
/// profile directory is a private temporary folder unless the caller sets <c>COMIO_CONFIG_DIR</c>.
/// </summary>
public static class ComioCli
{
    private static readonly SemaphoreSlim BuildLock = new(1, 1);
    private static string? _dllPath;

    public static string Configuration
    {
        get
        {
            // bin/<Configuration>/net10.0/ — the test assembly's own configuration.
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return tfmDir.Parent?.Name is "Debug" or "Release" ? tfmDir.Parent.Name :
#if DEBUG
                "Debug";
#else
                "Release";
#endif
        }
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ComIO.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException("ComIO.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Environment that points the CLI at the test topology with the admin credentials.</summary>
    public static Dictionary<string, string> EnvironmentFor(TopologyFixture topology, string configDir) => new()
    {
        ["COMIO_ENDPOINT"] = topology.S3Endpoint.ToString(),
        ["AWS_ACCESS_KEY_ID"] = TopologyFixture.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = TopologyFixture.SecretKey,
        ["AWS_DEFAULT_REGION"] = "us-east-1",
        ["COMIO_CONFIG_DIR"] = configDir,
    };

    public static Task<ComioResult> RunAsync(
        IReadOnlyDictionary<string, string> environment,
        CancellationToken ct,
        byte[]? standardInput = null,
        params string[] args) => RunAsync(environment, TimeSpan.FromSeconds(60), ct, standardInput, args);

    /// <summary>Runs comio and waits at most <paramref name="timeout"/> for it to exit (then kills it and fails).</summary>
    public static async Task<ComioResult> RunAsync(
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        CancellationToken ct,
        byte[]? standardInput,
        params string[] args)
    {
        var start = await StartInfoAsync(environment, args, ct);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet comio.dll");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        using var stdout = new MemoryStream();
        var stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdout, limit.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.BaseStream.WriteAsync(standardInput, limit.Token);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(limit.Token);
            await stdoutTask;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"comio {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s (or the test was cancelled).");
        }

        return new ComioResult(process.ExitCode, stdout.ToArray(), await stderrTask);
    }

    /// <summary>The start info of a hermetic <c>dotnet comio.dll ARGS</c> run (all three standard streams redirected).</summary>
    public static async Task<ProcessStartInfo> StartInfoAsync(IReadOnlyDictionary<string, string> environment, IEnumerable<string> args, CancellationToken ct)
    {
        var dll = await EnsureBuiltAsync(ct);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var inherited in start.Environment.Keys
            .Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("COMIO_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static async Task<string> EnsureBuiltAsync(CancellationToken ct)
    {
        if (_dllPath is not null)
        {
            return _dllPath;
        }

        await BuildLock.WaitAsync(ct);
        try
        {
            var root = RepoRoot;
            var dll = Path.Combine(root, "ComIO.Cli", "bin", Configuration, "net10.0", "comio.dll");
            if (!File.Exists(dll))
            {
                var build = await ExternalProcess.RunAsync(
                    "dotnet",
                    ["build", Path.Combine(root, "ComIO.Cli", "ComIO.Cli.csproj"), "-c", Configuration, "-v", "q", "-nologo"],
                    new Dictionary<string, string>(),
                    TimeSpan.FromMinutes(5),
                    ct,
                    workingDirectory: root);
                Assert.True(build.ExitCode == 0 && File.Exists(dll), build.Describe("dotnet build ComIO.Cli"));
            }

            _dllPath = dll;
            return dll;
        }
        finally
        {
            BuildLock.Release();
        }
    }
}
