using ComIO.Contracts.Replication;

namespace ComIO.ReplicationWorker.Nodes;

/// <summary>Tells a storage node the outcome of one of its outbox entries.</summary>
public interface ICompletionReporter
{
    /// <summary>Sends <paramref name="completion"/> to <paramref name="node"/> once; throws when the node did not accept it.</summary>
    Task ReportAsync(string node, ReplicationCompletion completion, CancellationToken cancellationToken);
}
