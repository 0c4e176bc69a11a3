using System.Diagnostics;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>Result of one external client run.</summary>
public sealed record ExternalProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public string Describe(string what) => $"{what} exited {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>
/// Runs a real S3 client (python3/boto3, rclone, …) as a child process with a hard timeout; the whole process tree
/// is killed when the timeout or the test's cancellation fires. Inherited <c>AWS_*</c>/<c>RCLONE_*</c> variables are
/// removed so only the given environment configures the client.
/// </summary>
public static class ExternalProcess
{
    public static async Task<ExternalProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout,
        CancellationToken ct,
        string? standardInput = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Hermetic: the developer's AWS_* (profiles, AWS_CA_BUNDLE, which rclone cannot load on its transport) and
        // RCLONE_* settings must not leak into the client under test; the caller passes what the client needs.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("RCLONE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), limit.Token);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout} (or the test was cancelled).");
        }

        return new ExternalProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
