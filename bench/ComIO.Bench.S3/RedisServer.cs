using System.Diagnostics;
using System.Globalization;
using ComIO.Testing;
using StackExchange.Redis;

namespace ComIO.Bench.S3;

/// <summary>
/// A <c>redis-server</c> child process on a free loopback port, without persistence (<c>--save '' --appendonly no</c>),
/// its working directory a temporary folder; killed (by its own process id) and the folder deleted on dispose.
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisServer(Process process, string directory, int port, ConnectionMultiplexer connection)
    {
        _process = process;
        _directory = directory;
        Port = port;
        Connection = connection;
    }

    public int Port { get; }

    /// <summary>The connection string the services use (<c>ConnectionStrings:redis</c>).</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The harness's own connection (stream lengths).</summary>
    public ConnectionMultiplexer Connection { get; }

    public static async Task<RedisServer> StartAsync(string parent)
    {
        var directory = Path.Combine(parent, "redis");
        Directory.CreateDirectory(directory);
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("redis-server")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory, "--daemonize", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine("redis: " + e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
        while (true)
        {
            try
            {
                var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},abortConnect=true,connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                return new RedisServer(process, directory, port, connection);
            }
            catch (RedisConnectionException) when (Stopwatch.GetTimestamp() < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task<long> StreamLengthAsync(string stream) => await Connection.GetDatabase().StreamLengthAsync(stream);

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
