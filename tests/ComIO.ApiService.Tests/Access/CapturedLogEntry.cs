using Microsoft.Extensions.Logging;

namespace ComIO.ApiService.Tests.Access;

/// <summary>One log entry as a service wrote it: its formatted message, structured properties and exception text.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, string> Properties, string? Exception)
{
    /// <summary>Everything the entry carries, as one string to search.</summary>
    public string AllText => string.Join("\n", [Category, EventName, Message, .. Properties.Select(p => $"{p.Key}={p.Value}"), Exception ?? ""]);
}
