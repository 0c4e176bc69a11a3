using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ComIO.Testing;

/// <summary>
/// A throw-away <c>redis-server</c> child process for tests and benchmarks: on a port from <see cref="LoopbackPorts"/>,
/// bound to 127.0.0.1, without persistence (<c>--save '' --appendonly no</c>), its working directory a folder the caller
/// names. <see cref="StartAsync"/> returns once the server accepts connections; dispose kills it. One source file,
/// linked into each project that needs it.
/// </summary>
public sealed class RedisChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly string _directory;
    private readonly Action<string>? _errorOutput;
    private Process? _process;

    private RedisChildProcess(string directory, int port, Action<string>? errorOutput)
    {
        _directory = directory;
        _errorOutput = errorOutput;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, the server's address as a StackExchange.Redis configuration string.</summary>
    public string Endpoint => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts a server in <paramref name="directory"/> (created if missing; the caller owns and deletes it).
    /// <paramref name="errorOutput"/>, if given, receives each line the server writes to standard error.
    /// </summary>
    public static async Task<RedisChildProcess> StartAsync(string directory, Action<string>? errorOutput = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var server = new RedisChildProcess(directory, LoopbackPorts.Free(), errorOutput);
        try
        {
            await server.StartProcessAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the server and starts an empty one on the same port: Redis restarted and lost everything.</summary>
    public async Task RestartEmptyAsync(CancellationToken ct = default)
    {
        await KillAsync();
        await StartProcessAsync(ct);
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    private async Task StartProcessAsync(CancellationToken ct)
    {
        var start = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process = process;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _errorOutput?.Invoke(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port, ct);
                return;
            }
            catch (SocketException) when (!process.HasExited && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(50, ct);
            }
            catch (SocketException ex)
            {
                var state = process.HasExited ? $"exited with code {process.ExitCode}" : $"did not listen within {StartTimeout.TotalSeconds:0} s";
                throw new InvalidOperationException($"redis-server on port {Port} {state}.", ex);
            }
        }
    }

    private async Task KillAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
