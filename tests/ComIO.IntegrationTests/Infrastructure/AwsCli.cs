using System.Diagnostics;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>Runs the Debian aws CLI (<c>/usr/bin/aws</c>) against the topology with the test credentials.</summary>
public static class AwsCli
{
    public const string Path = "/usr/bin/aws";

    public static bool IsInstalled => File.Exists(Path);

    public static async Task<(int ExitCode, string StdOut, string StdErr)> RunAsync(TopologyFixture topology, CancellationToken ct, params string[] args)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(topology.S3Endpoint.ToString().TrimEnd('/'));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = TopologyFixture.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = TopologyFixture.SecretKey;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = "";
        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
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
