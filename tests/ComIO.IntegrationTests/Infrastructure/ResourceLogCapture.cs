using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>
/// Keeps the most recent console lines of every resource of the topology (the AppHost forwards them to loggers named
/// <c>{AppHost}.Resources.{resource}</c>), so tests can assert on what services logged. Thread-safe; bounded.
/// </summary>
public sealed partial class ResourceLogCapture : ILoggerProvider
{
    private const int MaxLinesPerResource = 50_000;
    private const string Marker = ".Resources.";
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);

    /// <summary>Lines logged so far by resources whose name starts with <paramref name="resourcePrefix"/>.</summary>
    public IEnumerable<string> LinesOf(string resourcePrefix) =>
        _lines.Where(e => e.Key.StartsWith(resourcePrefix, StringComparison.Ordinal)).SelectMany(e => e.Value);

    /// <summary>
    /// The TraceId of the first structured log line of resources starting with <paramref name="resourcePrefix"/> that
    /// mentions both markers, waiting up to <paramref name="timeout"/> for it; null when none appears.
    /// </summary>
    public async Task<string?> FindTraceIdAsync(string resourcePrefix, string marker1, string marker2, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        do
        {
            foreach (var line in LinesOf(resourcePrefix))
            {
                if (line.Contains(marker1, StringComparison.Ordinal) && line.Contains(marker2, StringComparison.Ordinal)
                    && TraceId().Match(line) is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }

            await Task.Delay(200, ct);
        }
        while (DateTime.UtcNow < deadline);

        return null;
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"TraceId\":\"([0-9a-f]{32})\"")]
    private static partial System.Text.RegularExpressions.Regex TraceId();

    /// <summary>Writes every resource's captured lines to <c>{directory}/{resource}.log</c> (diagnostics after a failed run).</summary>
    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (resource, lines) in _lines)
        {
            File.WriteAllLines(Path.Combine(directory, resource + ".log"), lines);
        }
    }

    public ILogger CreateLogger(string categoryName)
    {
        var index = categoryName.IndexOf(Marker, StringComparison.Ordinal);
        return index < 0 ? NullLogger.Instance : new ResourceLogger(_lines.GetOrAdd(categoryName[(index + Marker.Length)..], _ => new ConcurrentQueue<string>()));
    }

    public void Dispose()
    {
    }

    private sealed class ResourceLogger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue(formatter(state, exception));
            while (lines.Count > MaxLinesPerResource && lines.TryDequeue(out _))
            {
            }
        }
    }

    private sealed class NullLogger : ILogger
    {
        public static readonly NullLogger Instance = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
