using System.Collections.Concurrent;

namespace ComIO.IntegrationTests.Faults;

/// <summary>Thread-safe counts of the fault run: operations by kind, failures, faults by kind, problems found.</summary>
public sealed class WorkloadCounters
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string name, long value = 1) => _counts.AddOrUpdate(name, value, (_, v) => v + value);

    /// <summary>Keeps the largest value seen under <paramref name="name"/>.</summary>
    public void Max(string name, long value) => _counts.AddOrUpdate(name, value, (_, v) => Math.Max(v, value));

    public long this[string name] => _counts.TryGetValue(name, out var v) ? v : 0;

    public IEnumerable<KeyValuePair<string, long>> WithPrefix(string prefix) =>
        _counts.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(c => c.Key, StringComparer.Ordinal);
}
