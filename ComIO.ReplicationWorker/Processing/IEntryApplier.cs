using ComIO.ReplicationWorker.Queue;

namespace ComIO.ReplicationWorker.Processing;

/// <summary>Applies one parsed, valid entry to all of its destinations (idempotently); throws when any destination failed.</summary>
public interface IEntryApplier
{
    Task ApplyAsync(ReplicationEntry entry, CancellationToken cancellationToken);
}
