using System.Diagnostics;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.S3;
using ComIO.ReplicationWorker.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ComIO.ReplicationWorker.Tests.S3;

/// <summary>What AWSSDK v4 really puts on the wire for the destination calls (recorded by a local HTTP server).</summary>
public sealed class S3ReplicaTargetWireTests
{
    /// <summary>The <c>x-amz-content-sha256</c> modes ComIO's S3 API accepts (besides a hex SHA-256).</summary>
    private static readonly string[] AcceptedPayloadModes =
        ["UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"];

    private static readonly SourceVersion Version = new()
    {
        VersionId = "v1",
        ContentLength = 300_000,
        ETag = "\"0123456789abcdef0123456789abcdef\"",
        ContentType = "image/png",
        CacheControl = "max-age=60",
        ContentDisposition = "attachment; filename=\"a.png\"",
        ContentEncoding = "gzip",
        ContentLanguage = "en",
        Expires = "Thu, 01 Dec 2033 16:00:00 GMT",
        Metadata = [new("x-amz-meta-color", "blue")],
        TagCount = 1,
        ObjectLockMode = "GOVERNANCE",
        ObjectLockRetainUntil = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
        ObjectLockLegalHold = "ON",
    };

    private static S3ReplicaTarget Target(RecordingS3Server server) =>
        new("west", new S3ClientFactory(TestOptions.Worker()).Create(server.Endpoint));

    [Fact]
    public async Task PutAsync_SendsEveryHeaderSigned_WithAnAcceptedPayloadMode_AndTheExactBody()
    {
        await using var server = await RecordingS3Server.StartAsync();
        using var target = Target(server);
        var headers = ReplicaHeaderMapping.ObjectHeaders(Version, [new("team", "a b")]);
        headers.AddRange(ReplicaHeaderMapping.ReplicaMarks("v1", Version.ETag, "east"));

        await target.PutAsync("photos", "dir/a.png", new NonSeekableStream(300_000), 300_000, headers, TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/photos/dir/a.png", request.Path);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            Assert.Contains(lower, request.SignedHeaders);
            Assert.Contains(value, request.Headers[lower], StringComparison.Ordinal);
        }

        Assert.Equal("v1", request.Headers[ReplicaHeaders.VersionId]);
        Assert.Equal("\"0123456789abcdef0123456789abcdef\"", request.Headers[ReplicaHeaders.ETag]);
        Assert.Equal("east", request.Headers[ReplicaHeaders.Source]);
        Assert.Equal("team=a%20b", request.Headers["x-amz-tagging"]);
        var mode = request.Headers["x-amz-content-sha256"];
        Assert.Contains(mode, AcceptedPayloadModes);
        Assert.Equal("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", mode); // signed chunks, no trailer: the client asks for no checksum
        var payload = mode.StartsWith("STREAMING-", StringComparison.Ordinal) ? AwsChunked.Decode(request.Body) : request.Body;
        Assert.Equal(NonSeekableStream.Expected(300_000), payload);
        if (mode.StartsWith("STREAMING-", StringComparison.Ordinal))
        {
            Assert.Equal("300000", request.Headers["x-amz-decoded-content-length"]);
            // The framing is announced by x-amz-content-sha256; the stored encoding must stay the object's own.
            Assert.Equal(["gzip"], request.Headers["content-encoding"].Split(',', StringSplitOptions.TrimEntries).Where(e => e != "aws-chunked"));
        }
    }

    [Fact]
    public async Task PutAsync_StreamsTheBody_InsteadOfBufferingIt()
    {
        const long Size = 8L * 1024 * 1024;
        await using var server = await RecordingS3Server.StartAsync();
        using var target = Target(server);
        // Past 2 MiB the source only produces more once the server has received 1 MiB: a client that buffered the
        // whole body before sending would never get there.
        var body = new NonSeekableStream(Size, async produced =>
        {
            if (produced < 2 * 1024 * 1024)
            {
                return;
            }

            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (server.BodyBytesReceived < 1024 * 1024)
            {
                Assert.True(DateTime.UtcNow < deadline, "the PUT body was not streamed: nothing reached the server while the source was read");
                await Task.Delay(5);
            }
        });

        await target.PutAsync("photos", "big", body, Size, [], TestContext.Current.CancellationToken);

        Assert.True(server.BodyBytesReceived >= Size);
    }

    [Fact]
    public async Task MultipartCalls_SignTheObjectHeadersOnCreate_AndTheReplicaMarksOnComplete()
    {
        await using var server = await RecordingS3Server.StartAsync(async (context, request) =>
        {
            if (request.Method == "POST" && request.Query.Contains("uploads", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync(
                    "<InitiateMultipartUploadResult><Bucket>photos</Bucket><Key>big</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>");
            }
            else if (request.Method == "POST")
            {
                await context.Response.WriteAsync(
                    "<CompleteMultipartUploadResult><Bucket>photos</Bucket><Key>big</Key><ETag>\"x-2\"</ETag></CompleteMultipartUploadResult>");
            }
            else
            {
                context.Response.Headers.ETag = $"\"part{request.Query}\"";
            }
        });
        using var target = Target(server);
        var objectHeaders = ReplicaHeaderMapping.ObjectHeaders(Version, []);
        var marks = ReplicaHeaderMapping.ReplicaMarks("v1", "\"abc-2\"", "east");
        var token = TestContext.Current.CancellationToken;

        var uploadId = await target.StartMultipartAsync("photos", "big", objectHeaders, token);
        var etag = await target.UploadPartAsync("photos", "big", uploadId, 1, new NonSeekableStream(1000), 1000, token);
        await target.CompleteMultipartAsync("photos", "big", uploadId, [etag, "\"e2\""], marks, token);

        var requests = server.Requests.ToArray();
        Assert.Equal("up-1", uploadId);
        Assert.All(objectHeaders, h => Assert.Contains(h.Key.ToLowerInvariant(), requests[0].SignedHeaders));
        Assert.DoesNotContain(ReplicaHeaders.VersionId, requests[0].Headers.Keys);
        Assert.Contains("partNumber=1", requests[1].Query, StringComparison.Ordinal);
        Assert.Contains(requests[1].Headers["x-amz-content-sha256"], AcceptedPayloadModes);
        Assert.Equal(NonSeekableStream.Expected(1000), AwsChunked.Decode(requests[1].Body));
        var complete = requests[2];
        Assert.Contains("uploadId=up-1", complete.Query, StringComparison.Ordinal);
        foreach (var (name, value) in marks)
        {
            Assert.Contains(name, complete.SignedHeaders);
            Assert.Equal(value, complete.Headers[name]);
        }

        var xml = System.Text.Encoding.UTF8.GetString(complete.Body);
        Assert.Contains("<PartNumber>2</PartNumber>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteAsync_SignsTheDeleteMarkerMarks()
    {
        await using var server = await RecordingS3Server.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        using var target = Target(server);
        var marks = ReplicaHeaderMapping.DeleteMarkerMarks("dm-1", "east");

        await target.DeleteAsync("photos", "gone.txt", marks, TestContext.Current.CancellationToken);

        var request = Assert.Single(server.Requests);
        Assert.Equal("DELETE", request.Method);
        Assert.Equal("/photos/gone.txt", request.Path);
        Assert.DoesNotContain("versionId", request.Query, StringComparison.Ordinal);
        Assert.Equal("true", request.Headers[ReplicaHeaders.DeleteMarker]);
        Assert.Equal("dm-1", request.Headers[ReplicaHeaders.VersionId]);
        Assert.Superset(new HashSet<string> { ReplicaHeaders.VersionId, ReplicaHeaders.DeleteMarker, ReplicaHeaders.Source }, request.SignedHeaders.ToHashSet());
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(404, false)]
    [InlineData(405, true)]
    public async Task HasVersionAsync_AsksForTheVersion_AndReadsTheStatus(int status, bool expected)
    {
        await using var server = await RecordingS3Server.StartAsync((context, _) =>
        {
            context.Response.StatusCode = status;
            if (status == 405)
            {
                context.Response.Headers["x-amz-delete-marker"] = "true";
            }

            return Task.CompletedTask;
        });
        using var target = Target(server);

        Assert.Equal(expected, await target.HasVersionAsync("photos", "k", "v 1", TestContext.Current.CancellationToken));

        var request = Assert.Single(server.Requests);
        Assert.Equal("HEAD", request.Method);
        Assert.Contains("versionId=v%201", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HasVersionAsync_Throws_OnAServerError()
    {
        await using var server = await RecordingS3Server.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        using var target = Target(server);

        await Assert.ThrowsAnyAsync<Exception>(() => target.HasVersionAsync("photos", "k", "v1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Requests_CarryTheCurrentTraceContext()
    {
        using var source = new ActivitySource("ComIO.ReplicationWorker.Tests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await RecordingS3Server.StartAsync();
        using var target = Target(server);

        using (var activity = source.StartActivity("replicate put"))
        {
            Assert.NotNull(activity);
            await target.PutAsync("photos", "k", new NonSeekableStream(10), 10, [], TestContext.Current.CancellationToken);
            var traceparent = Assert.Single(server.Requests).Headers["traceparent"];
            Assert.Contains(activity.TraceId.ToHexString(), traceparent, StringComparison.Ordinal);
        }
    }
}
