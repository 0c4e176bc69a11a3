using System.Diagnostics;
using System.Globalization;

namespace ComIO.Bench.Soak;

/// <summary>
/// One service child process (<c>serve</c>) and what can be read about it: RSS and thread count from
/// <c>/proc/PID/status</c>, open descriptors from <c>/proc/PID/fd</c>, and the managed heap from the <c>gc</c> lines
/// the child prints on stdout.
/// </summary>
internal sealed class SoakProcess : IDisposable
{
    private readonly Process _process;
    private long _gcHeapBytes = -1;
    private long _gcCommittedBytes = -1;
    private long _gen2Count = -1;
    private Task? _reader;

    private SoakProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static SoakProcess Start(string name, string role, string url, IReadOnlyDictionary<string, string?> settings)
    {
        // Started as `dotnet ComIO.Bench.Soak.dll` or as the apphost: the child runs the same way.
        var host = Environment.ProcessPath!;
        List<string> args = Path.GetFileNameWithoutExtension(host) == "dotnet" ? [typeof(SoakProcess).Assembly.Location] : [];
        args.AddRange(["serve", "--role", role, "--url", url]);
        var start = new ProcessStartInfo(host, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new SoakProcess(name, Process.Start(start) ?? throw new InvalidOperationException($"Could not start {name}."));
    }

    /// <summary>Waits for <c>ready</c>, then keeps reading the child's <c>gc</c> lines in the background.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var line = await _process.StandardOutput.ReadLineAsync(cts.Token);
        if (line != "ready")
        {
            throw new InvalidOperationException($"{Name} did not start (said '{line}', exited: {_process.HasExited}).");
        }

        ParseGc(await _process.StandardOutput.ReadLineAsync(cts.Token)); // printed right after "ready"
        _reader = Task.Run(ReadGcLinesAsync);
    }

    public ProcessSample Sample(double elapsedSeconds)
    {
        long rss = -1;
        var threads = -1;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line[8..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        var fds = Directory.GetFiles($"/proc/{Pid}/fd").Length;
        return new ProcessSample(elapsedSeconds, rss, fds, threads, Interlocked.Read(ref _gcHeapBytes), Interlocked.Read(ref _gcCommittedBytes), Interlocked.Read(ref _gen2Count));
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _reader?.Wait(TimeSpan.FromSeconds(2));
        _process.Dispose();
    }

    private async Task ReadGcLinesAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                ParseGc(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    private void ParseGc(string? line)
    {
        var parts = line?.Split(' ');
        if (parts is { Length: 4 } && parts[0] == "gc")
        {
            Interlocked.Exchange(ref _gcHeapBytes, long.Parse(parts[1], CultureInfo.InvariantCulture));
            Interlocked.Exchange(ref _gcCommittedBytes, long.Parse(parts[2], CultureInfo.InvariantCulture));
            Interlocked.Exchange(ref _gen2Count, long.Parse(parts[3], CultureInfo.InvariantCulture));
        }
    }
}
