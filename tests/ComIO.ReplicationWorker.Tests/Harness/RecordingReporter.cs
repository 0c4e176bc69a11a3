using System.Collections.Concurrent;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Nodes;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>
/// An <see cref="ICompletionReporter"/> that records accepted reports; it fails the first <see cref="Failures"/> calls
/// and, while <see cref="Gate"/> is not completed, holds every call (to observe the entry still pending).
/// </summary>
public sealed class RecordingReporter : ICompletionReporter
{
    private int _calls;

    public int Failures { get; init; }

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(string Node, ReplicationCompletion Completion)> Reports { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public RecordingReporter(bool open = true)
    {
        if (open)
        {
            Gate.SetResult();
        }
    }

    public async Task ReportAsync(string node, ReplicationCompletion completion, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        await Gate.Task.WaitAsync(cancellationToken);
        if (call <= Failures)
        {
            throw new HttpRequestException($"node {node} unreachable (call {call})");
        }

        Reports.Enqueue((node, completion));
    }
}
