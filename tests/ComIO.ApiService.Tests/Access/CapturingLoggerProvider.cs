using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// Keeps every log entry of the services it is given to (category, event name, formatted message, structured state and
/// exception text), so tests can search everything a service wrote. Thread-safe.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var properties = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparer.Ordinal)
                : [];
            entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId.Name ?? "", formatter(state, exception), properties, exception?.ToString()));
        }
    }
}
