using System.Collections.Concurrent;
using System.Diagnostics;

namespace ComIO.IntegrationTests.Cli;

/// <summary>
/// A running <c>comio server --config FILE</c> process (the real built CLI). Collects its output, waits for its ready
/// line, stops it with SIGTERM (graceful) and kills it on dispose if it is still running.
/// </summary>
public sealed class ComioServerProcess : IAsyncDisposable
{
    public const string ReadyMarker = "comio server: S3 API on";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ComioServerProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Collect(e.Data);
        _process.ErrorDataReceived += (_, e) => Collect(e.Data);
        _process.EnableRaisingEvents = true;
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException("comio server exited early:\n" + Output));
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _output);

    public int ProcessId => _process.Id;

    public static async Task<ComioServerProcess> StartAsync(string configPath, CancellationToken ct, params string[] extraArgs)
    {
        var start = await ComioCli.StartInfoAsync(new Dictionary<string, string>(), ["server", "--config", configPath, .. extraArgs], ct);
        var server = new ComioServerProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start comio server"));
        server._process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await server._ready.Task.WaitAsync(timeout.Token);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Sends SIGTERM and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(CancellationToken ct)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }


    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.StartsWith(ReadyMarker, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
