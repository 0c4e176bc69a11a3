using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Telemetry;
using ComIO.ReplicationWorker.Tests.Harness;
using Microsoft.AspNetCore.Http;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker.Tests.Pipeline;

/// <summary>
/// The whole worker with nothing faked but the far ends: a real Redis stream entry in, a source S3 endpoint, a
/// destination S3 endpoint and a storage node as recording HTTP servers (the node found through service discovery).
/// </summary>
public sealed class WorkerPipelineTests : IAsyncLifetime
{
    private const string TraceId = "0af7651916cd43dd8448eb211c80319c";
    private static readonly byte[] Body = "hello"u8.ToArray();

    /// <summary>Large enough that the worker asks the destination before sending it.</summary>
    private const int ObjectCopierLargeSize = (int)ComIO.ReplicationWorker.Copying.ObjectCopier.CheckDestinationFirstAbove + 1;
    private RedisServer _redis = null!;

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task APut_IsCopiedWithItsReplicaMarks_InTheChangesTrace_ThenReportedToTheNode_ThenAcknowledged()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ReplicationTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var source = await RecordingS3Server.StartAsync(async (context, request) =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.Headers.ETag = "\"5d41402abc4b2a76b9719d911017c592\"";
            context.Response.Headers["x-amz-version-id"] = "v1";
            context.Response.Headers["x-amz-meta-color"] = "blue";
            context.Response.ContentLength = Body.Length;
            await context.Response.Body.WriteAsync(Body);
        });
        await using var destination = await RecordingS3Server.StartAsync((context, request) =>
        {
            context.Response.StatusCode = request.Method == "HEAD" ? 404 : 200;
            context.Response.Headers.ETag = "\"5d41402abc4b2a76b9719d911017c592\"";
            return Task.CompletedTask;
        });
        await using var node = await RecordingS3Server.StartAsync(RecordAllCompletionsAsync);
        await using var worker = await WorkerHost.CreateAsync(_redis, applier: null, reporter: null, new()
        {
            ["Replication:SourceEndpoint"] = source.Endpoint.ToString(),
            ["Replication:Sites:west:Endpoint"] = destination.Endpoint.ToString(),
            ["Services:east-node1:http:0"] = node.Endpoint.ToString(),
        });
        await using var client = await _redis.ConnectAsync();
        var db = client.GetDatabase();
        var stream = ReplicationStream.Name(WorkerHost.Site);
        await Eventually.TrueAsync(() => db.KeyExistsAsync(stream), "the worker created the stream");

        await db.StreamAddAsync(stream, Entries.Put(key: "dir/a.txt"));
        await Eventually.TrueAsync(async () => !node.Requests.IsEmpty
            && (await db.StreamPendingAsync(stream, ReplicationStream.ConsumerGroup)).PendingMessageCount == 0, "reported and acknowledged");

        var sourceGet = Assert.Single(source.Requests);
        Assert.Equal(("GET", "/photos/dir/a.txt"), (sourceGet.Method, sourceGet.Path));
        Assert.Contains("versionId=v1", sourceGet.Query, StringComparison.Ordinal);

        // A small version is sent without asking first (the destination stores a replica version id at most once).
        var put = Assert.Single(destination.Requests);
        Assert.Equal(("PUT", "/photos-west/dir/a.txt"), (put.Method, put.Path));
        Assert.Equal("v1", put.Headers[ReplicaHeaders.VersionId]);
        Assert.Equal("\"5d41402abc4b2a76b9719d911017c592\"", put.Headers[ReplicaHeaders.ETag]);
        Assert.Equal(WorkerHost.Site, put.Headers[ReplicaHeaders.Source]);
        Assert.Equal("blue", put.Headers["x-amz-meta-color"]);
        Assert.Equal("text/plain", put.Headers["content-type"]);
        Assert.Contains(ReplicaHeaders.VersionId, put.SignedHeaders);
        Assert.Equal(Body, AwsChunked.Decode(put.Body));
        Assert.Contains(TraceId, put.Headers["traceparent"], StringComparison.Ordinal);

        // A lone report is a batch of one, sent in the trace of the change it reports.
        var report = Assert.Single(node.Requests);
        Assert.Equal(("POST", ReplicationCompletionBatch.Route), (report.Method, report.Path));
        Assert.Equal("cluster-secret", report.Headers[InternalApi.ClusterSecretHeader.ToLowerInvariant()]);
        Assert.Contains(TraceId, report.Headers["traceparent"], StringComparison.Ordinal);
        var completion = Assert.Single(Completions(report));
        Assert.Equal(new ReplicationCompletion(0, 7, "photos", "dir/a.txt", "v1", ReplicationCompletion.StatusCompleted), completion);
    }

    private static List<ReplicationCompletion> Completions(RecordedRequest request) =>
        JsonSerializer.Deserialize(request.Body, ContractsJsonContext.Default.ReplicationCompletionBatch)!.Completions;

    /// <summary>A storage node that records every completion of a batch.</summary>
    private static async Task RecordAllCompletionsAsync(HttpContext context, RecordedRequest request)
    {
        var results = new ReplicationCompletionResults([.. Completions(request).Select(static _ => (NodeError?)null)]);
        await context.Response.WriteAsJsonAsync(results, ContractsJsonContext.Default.ReplicationCompletionResults);
    }

    [Fact]
    public async Task ALargeVersionTheDestinationHas_IsNotSentAgain_AndADeleteMarkerIsSentAsAReplicaDelete()
    {
        await using var source = await RecordingS3Server.StartAsync(async (context, request) =>
        {
            context.Response.Headers.ETag = "\"5d41402abc4b2a76b9719d911017c592\"";
            context.Response.Headers["x-amz-version-id"] = "v1";
            context.Response.ContentLength = ObjectCopierLargeSize;
            try
            {
                await context.Response.Body.WriteAsync(new byte[ObjectCopierLargeSize], context.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The worker learns the size from the headers and closes the body once the destination has the version.
            }
        });
        var seen = new ConcurrentQueue<string>();
        await using var destination = await RecordingS3Server.StartAsync((context, request) =>
        {
            seen.Enqueue(request.Method);
            context.Response.StatusCode = request.Method == "DELETE" ? 204 : 200;
            return Task.CompletedTask;
        });
        await using var node = await RecordingS3Server.StartAsync(RecordAllCompletionsAsync);
        await using var worker = await WorkerHost.CreateAsync(_redis, applier: null, reporter: null, new()
        {
            ["Replication:SourceEndpoint"] = source.Endpoint.ToString(),
            ["Replication:Sites:west:Endpoint"] = destination.Endpoint.ToString(),
            ["Services:east-node1:http:0"] = node.Endpoint.ToString(),
        });
        await using var client = await _redis.ConnectAsync();
        var db = client.GetDatabase();
        var stream = ReplicationStream.Name(WorkerHost.Site);
        await Eventually.TrueAsync(() => db.KeyExistsAsync(stream), "the worker created the stream");

        await db.StreamAddAsync(stream, Entries.Put());
        var marker = Entries.Put(versionId: "dm1", sequence: 8)
            .Select(f => f.Name == ReplicationStream.Operation ? new NameValueEntry(f.Name, ReplicationStream.OperationDeleteMarker) : f).ToArray();
        await db.StreamAddAsync(stream, marker);
        await Eventually.TrueAsync(() => Task.FromResult(node.Requests.Sum(r => Completions(r).Count) == 2), "both entries reported");

        Assert.Equal("GET", Assert.Single(source.Requests).Method);
        Assert.Equal(["DELETE", "HEAD"], destination.Requests.Select(r => r.Method).Order());
        var delete = destination.Requests.Single(r => r.Method == "DELETE");
        Assert.Equal("true", delete.Headers[ReplicaHeaders.DeleteMarker]);
        Assert.Equal("dm1", delete.Headers[ReplicaHeaders.VersionId]);
    }
}
