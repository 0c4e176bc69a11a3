using System.Collections.Concurrent;
using ComIO.ReplicationWorker.Processing;
using ComIO.ReplicationWorker.Queue;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>An <see cref="IEntryApplier"/> that records every attempt and fails the first <see cref="FailuresBeforeSuccess"/> per entry.</summary>
public sealed class RecordingApplier : IEntryApplier
{
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    /// <summary>Attempts to fail for each entry id before succeeding (<see cref="int.MaxValue"/>: always fail).</summary>
    public int FailuresBeforeSuccess { get; init; }

    /// <summary>Fail as a destination failure wrapping a <see cref="PermanentReplicationException"/> (e.g. an SSE-C source).</summary>
    public bool FailPermanently { get; init; }

    public ConcurrentQueue<ReplicationEntry> Applied { get; } = new();

    public int AttemptsOf(string id) => _attempts.GetValueOrDefault(id);

    public Task ApplyAsync(ReplicationEntry entry, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(entry.Id, 1, (_, n) => n + 1);
        if (FailPermanently)
        {
            throw new DestinationFailedException("west", "west: cannot be replicated", new PermanentReplicationException("encrypted with a customer-provided key"));
        }

        if (attempt <= FailuresBeforeSuccess)
        {
            throw new DestinationFailedException("west", $"west is down (attempt {attempt})");
        }

        Applied.Enqueue(entry);
        return Task.CompletedTask;
    }
}
