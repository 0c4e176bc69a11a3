using System.Diagnostics;
using System.Net.Http.Json;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Telemetry;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Nodes;

/// <summary>
/// Reports completions to the storage nodes in batches: <c>POST http://{node}/internal/v1/replication/complete</c> with a
/// <see cref="ReplicationCompletionBatch"/> (JSON) and the cluster secret header; the node id resolves through service
/// discovery (it is the node's Aspire resource name). At most one batch per node is in flight: reports that arrive
/// meanwhile wait and go together in the next one (up to <see cref="ReplicationCompletionBatch.MaxCount"/>), so entries
/// that finish together cost one request and one node commit instead of one each, and a lone report goes at once.
/// A report completes when the node recorded it; it throws when the batch failed (transport error, non-2xx answer,
/// an answer that does not match the batch) or the node refused that one completion. Each batch request runs in an
/// activity of its own: a child of the reporting entry's trace for a batch of one, otherwise linked to every entry's
/// trace. Singleton; thread-safe.
/// </summary>
public sealed class NodeCompletionReporter(IHttpClientFactory httpFactory, IOptions<LocalSiteOptions> site) : ICompletionReporter, IDisposable
{
    public const string HttpClientName = "comio-nodes";

    private const string ActivityName = "report replication completions";

    private readonly Dictionary<string, NodeQueue> _queues = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposed = new();

    public Task ReportAsync(string node, ReplicationCompletion completion, CancellationToken cancellationToken)
    {
        var report = new PendingReport(completion, Activity.Current?.Context);
        NodeQueue queue;
        bool startSending;
        lock (_queues)
        {
            if (!_queues.TryGetValue(node, out queue!))
            {
                queue = new NodeQueue();
                _queues[node] = queue;
            }

            queue.Waiting.Add(report);
            startSending = !queue.Sending;
            queue.Sending = true;
        }

        if (startSending)
        {
            // Not in the caller's context: the sender outlives this report and sends others' reports too.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => SendUntilEmptyAsync(node, queue), CancellationToken.None);
            }
        }

        // The caller may stop waiting (shutdown); the report is still sent with its batch, which is harmless (idempotent).
        return report.Outcome.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    /// <summary>Sends the node's waiting reports, a batch at a time, until none wait; never throws.</summary>
    private async Task SendUntilEmptyAsync(string node, NodeQueue queue)
    {
        while (true)
        {
            List<PendingReport> batch;
            lock (_queues)
            {
                if (queue.Waiting.Count == 0)
                {
                    queue.Sending = false;
                    return;
                }

                var count = Math.Min(queue.Waiting.Count, ReplicationCompletionBatch.MaxCount);
                batch = queue.Waiting.GetRange(0, count);
                queue.Waiting.RemoveRange(0, count);
            }

            try
            {
                var errors = await SendAsync(node, batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (errors[i] is { } error)
                    {
                        batch[i].Outcome.TrySetException(new HttpRequestException(
                            $"Node {node} did not record the replication completion: {error.Status} {error.Message}"));
                    }
                    else
                    {
                        batch[i].Outcome.TrySetResult();
                    }
                }
            }
            catch (Exception e)
            {
                foreach (var report in batch)
                {
                    report.Outcome.TrySetException(e);
                }
            }
        }
    }

    private async Task<List<NodeError?>> SendAsync(string node, List<PendingReport> batch)
    {
        using var activity = batch is [{ Trace: { } parent }]
            ? ReplicationTelemetry.ActivitySource.StartActivity(ActivityName, ActivityKind.Internal, parent)
            : ReplicationTelemetry.ActivitySource.StartActivity(ActivityName, ActivityKind.Internal, parentContext: default,
                links: [.. batch.Where(static r => r.Trace is not null).Select(static r => new ActivityLink(r.Trace!.Value))]);
        activity?.SetTag("comio.node", node);
        activity?.SetTag("comio.replication.completions", batch.Count);
        var http = httpFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{node}{ReplicationCompletionBatch.Route}"))
        {
            Content = JsonContent.Create(new ReplicationCompletionBatch([.. batch.Select(static r => r.Completion)]),
                ContractsJsonContext.Default.ReplicationCompletionBatch),
        };
        request.Headers.TryAddWithoutValidation(InternalApi.ClusterSecretHeader, site.Value.ClusterSecret);
        using var response = await http.SendAsync(request, _disposed.Token);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(_disposed.Token);
            throw new HttpRequestException(
                $"Node {node} answered {(int)response.StatusCode} to the replication completions: {body[..Math.Min(body.Length, 300)]}",
                null, response.StatusCode);
        }

        var results = await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.ReplicationCompletionResults, _disposed.Token);
        return results?.Errors is { } errors && errors.Count == batch.Count
            ? errors
            : throw new HttpRequestException($"Node {node} answered the replication completions with {results?.Errors?.Count ?? 0} results for {batch.Count}.");
    }

    private sealed class NodeQueue
    {
        public List<PendingReport> Waiting { get; } = [];

        /// <summary>A sender is running for this node (set and cleared under the reporter's lock).</summary>
        public bool Sending { get; set; }
    }

    private sealed class PendingReport(ReplicationCompletion completion, ActivityContext? trace)
    {
        public ReplicationCompletion Completion { get; } = completion;

        /// <summary>The reporting entry's trace, if it had one.</summary>
        public ActivityContext? Trace { get; } = trace;

        public TaskCompletionSource Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
