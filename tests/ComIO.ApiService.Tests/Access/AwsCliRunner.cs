using System.Diagnostics;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Runs <c>/usr/bin/aws</c> against an endpoint as a <see cref="TestUser"/>: credentials in the environment, a private
/// config file (path-style addressing, no retries), no instance metadata lookups. Kills the process on timeout.
/// </summary>
public static class AwsCliRunner
{
    public const string AwsPath = "/usr/bin/aws";

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(Uri endpoint, TestUser user, string workDirectory, CancellationToken ct, params string[] args)
    {
        var config = Path.Combine(workDirectory, "aws-config");
        if (!File.Exists(config))
        {
            await File.WriteAllTextAsync(config, "[default]\nregion = us-east-1\nmax_attempts = 1\ns3 =\n    addressing_style = path\n", ct);
        }

        var start = new ProcessStartInfo(AwsPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(endpoint.ToString().TrimEnd('/'));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = user.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = user.SecretKey;
        start.Environment["AWS_CONFIG_FILE"] = config;
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = "";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
