using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Nodes;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Tests.Unit;

/// <summary>
/// Batching of completion reports: reports that arrive while a node's batch is in flight go together in the next
/// request, each report learns its own outcome, a failed batch fails only its own reports, and nodes are separate.
/// </summary>
public sealed class NodeCompletionReporterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReplicationCompletion Completion(long sequence) =>
        new(0, sequence, "bucket", $"key-{sequence}", null, ReplicationCompletion.StatusCompleted);

    [Fact]
    public async Task ReportsArrivingWhileABatchIsInFlight_GoTogetherInTheNextRequest()
    {
        var node = new FakeNode();
        using var reporter = node.Reporter();
        node.Hold();
        var first = reporter.ReportAsync("node1", Completion(1), Ct);
        await node.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var later = Enumerable.Range(2, 5).Select(i => reporter.ReportAsync("node1", Completion(i), Ct)).ToArray();
        node.Release();
        await Task.WhenAll([first, .. later]).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal([[1], [2, 3, 4, 5, 6]], node.Batches.Select(b => b.Sequences).ToArray());
        Assert.All(node.Batches, b => Assert.Equal("http://node1/internal/v1/replication/complete", b.Uri));
        Assert.All(node.Batches, b => Assert.Equal("secret", b.Secret));
    }

    [Fact]
    public async Task ACompletionTheNodeRefuses_FailsOnlyThatReport()
    {
        var node = new FakeNode { Refuse = sequence => sequence == 3 };
        using var reporter = node.Reporter();
        node.Hold();
        var first = reporter.ReportAsync("node1", Completion(1), Ct);
        await node.Arrived.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var accepted = reporter.ReportAsync("node1", Completion(2), Ct);
        var refused = reporter.ReportAsync("node1", Completion(3), Ct);
        node.Release();

        await first.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await accepted.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => refused.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Contains("NoSuchVersion", error.Message, StringComparison.Ordinal);
        Assert.Equal([2, 3], node.Batches[1].Sequences);
    }

    [Fact]
    public async Task AFailedBatch_FailsEachOfItsReports_AndTheNextReportIsSentAfresh()
    {
        var node = new FakeNode { Status = HttpStatusCode.InternalServerError };
        using var reporter = node.Reporter();

        await Assert.ThrowsAsync<HttpRequestException>(() => reporter.ReportAsync("node1", Completion(1), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct));
        node.Status = HttpStatusCode.OK;
        await reporter.ReportAsync("node1", Completion(1), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(2, node.Batches.Count);
    }

    [Fact]
    public async Task AnAnswerWithTheWrongNumberOfResults_FailsTheBatch()
    {
        var node = new FakeNode { ExtraResult = true };
        using var reporter = node.Reporter();

        await Assert.ThrowsAsync<HttpRequestException>(() => reporter.ReportAsync("node1", Completion(1), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task EachNodeGetsItsOwnReports()
    {
        var node = new FakeNode();
        using var reporter = node.Reporter();

        await Task.WhenAll(reporter.ReportAsync("node1", Completion(1), Ct), reporter.ReportAsync("node2", Completion(2), Ct)).WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(["http://node1/internal/v1/replication/complete 1", "http://node2/internal/v1/replication/complete 2"],
            node.Batches.Select(b => $"{b.Uri} {string.Join(',', b.Sequences)}").Order(StringComparer.Ordinal));
    }

    /// <summary>Storage nodes behind a fake handler: records each batch and answers one result per completion.</summary>
    private sealed class FakeNode : HttpMessageHandler, IHttpClientFactory
    {
        private TaskCompletionSource _gate = Open();

        public ConcurrentQueue<(string Uri, string? Secret, long[] Sequences)> Received { get; } = new();

        public List<(string Uri, string? Secret, long[] Sequences)> Batches => [.. Received];

        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public Func<long, bool> Refuse { get; init; } = static _ => false;

        public bool ExtraResult { get; init; }

        public NodeCompletionReporter Reporter() =>
            new(this, Options.Create(new LocalSiteOptions { ClusterSecret = "secret" }));

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var batch = JsonSerializer.Deserialize(await request.Content!.ReadAsStreamAsync(cancellationToken), ContractsJsonContext.Default.ReplicationCompletionBatch)!;
            var secret = request.Headers.TryGetValues(InternalApi.ClusterSecretHeader, out var values) ? values.Single() : null;
            Received.Enqueue((request.RequestUri!.ToString(), secret, [.. batch.Completions.Select(c => c.Sequence)]));
            Arrived.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
            if (Status != HttpStatusCode.OK)
            {
                return new HttpResponseMessage(Status) { Content = new StringContent("{\"status\":\"InternalError\"}") };
            }

            List<NodeError?> errors = [.. batch.Completions.Select(c => Refuse(c.Sequence) ? new NodeError("NoSuchVersion") : null)];
            if (ExtraResult)
            {
                errors.Add(null);
            }

            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new ReplicationCompletionResults(errors), ContractsJsonContext.Default.ReplicationCompletionResults),
            };
        }

        private static TaskCompletionSource Open()
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gate.SetResult();
            return gate;
        }
    }
}
