using System.Collections.Concurrent;

namespace ComIO.Bench.Soak;

/// <summary>Errors seen by all clients: a count per operation kind and the first messages (thread-safe).</summary>
internal sealed class SoakErrors
{
    private const int KeptMessages = 20;
    private readonly ConcurrentDictionary<string, int> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _messages = new();
    private int _total;

    public int Total => Volatile.Read(ref _total);

    public IReadOnlyDictionary<string, int> ByKind => _byKind;

    public IEnumerable<string> Messages => _messages;

    public void Add(string kind, string message)
    {
        _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        if (Interlocked.Increment(ref _total) <= KeptMessages)
        {
            _messages.Enqueue($"{DateTime.UtcNow:HH:mm:ss} {kind}: {message}");
        }
    }
}
