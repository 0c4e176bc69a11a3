using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.S3;
using ComIO.ReplicationWorker.Tests.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComIO.ReplicationWorker.Tests.S3;

/// <summary>A multipart copy through the real AWSSDK clients: ranged GETs from the source, parts and Complete to the destination.</summary>
public sealed partial class MultipartCopyWireTests
{
    private const int Size = 1_000_000;

    [Fact]
    public async Task CopyAsync_ReassemblesTheExactBytes_FromRangedReads_AndCommitsWithTheReplicaMarks()
    {
        var content = NonSeekableStream.Expected(Size);
        await using var source = await RecordingS3Server.StartAsync(async (context, request) =>
        {
            var (from, to) = (0, Size - 1);
            if (request.Headers.TryGetValue("range", out var range) && RangePattern().Match(range) is { Success: true } match)
            {
                (from, to) = (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
                context.Response.StatusCode = 206;
                context.Response.Headers.ContentRange = $"bytes {from}-{to}/{Size}";
            }

            context.Response.Headers.ETag = "\"0123456789abcdef0123456789abcdef-2\"";
            context.Response.Headers["x-amz-meta-color"] = "blue";
            context.Response.ContentLength = to - from + 1;
            await context.Response.Body.WriteAsync(content.AsMemory(from, to - from + 1));
        });
        var parts = new ConcurrentDictionary<int, byte[]>();
        await using var destination = await RecordingS3Server.StartAsync(async (context, request) =>
        {
            if (request.Method == "HEAD")
            {
                context.Response.StatusCode = 404;
            }
            else if (request.Method == "POST" && request.Query.Contains("uploads", StringComparison.Ordinal))
            {
                await context.Response.WriteAsync("<InitiateMultipartUploadResult><UploadId>u1</UploadId></InitiateMultipartUploadResult>");
            }
            else if (request.Method == "PUT")
            {
                var number = int.Parse(PartPattern().Match(request.Query).Groups[1].Value, CultureInfo.InvariantCulture);
                parts[number] = AwsChunked.Decode(request.Body);
                context.Response.Headers.ETag = $"\"p{number}\"";
            }
            else
            {
                await context.Response.WriteAsync("<CompleteMultipartUploadResult><ETag>\"x-4\"</ETag></CompleteMultipartUploadResult>");
            }
        });
        var options = TestOptions.Worker(o =>
        {
            o.SourceEndpoint = source.Endpoint;
            o.MultipartThreshold = 512 * 1024;
            o.PartSize = 256 * 1024;
            o.PartConcurrency = 2;
        });
        var clients = new S3ClientFactory(options);
        using var reader = new S3SourceReader(clients, options);
        using var target = new S3ReplicaTarget("west", clients.Create(destination.Endpoint));
        var copier = new ObjectCopier(reader, new MultipartCopier(reader, options, NullLogger<MultipartCopier>.Instance), options, TestOptions.Site,
            NullLogger<ObjectCopier>.Instance);

        var outcome = await copier.CopyAsync("photos", "big.bin", "v1", "photos-west", target, TestContext.Current.CancellationToken);

        Assert.Equal(CopyOutcome.Copied(Size), outcome);
        Assert.Equal([1, 2, 3, 4], parts.Keys.Order());
        Assert.Equal(content, parts.OrderBy(p => p.Key).SelectMany(p => p.Value).ToArray());
        Assert.Equal(["bytes=262144-524287", "bytes=524288-786431", "bytes=786432-999999"],
            source.Requests.Where(r => r.Headers.ContainsKey("range")).Select(r => r.Headers["range"]).Order());
        var create = destination.Requests.Single(r => r.Method == "POST" && r.Query.Contains("uploads", StringComparison.Ordinal));
        Assert.Equal("blue", create.Headers["x-amz-meta-color"]);
        var complete = destination.Requests.Single(r => r.Method == "POST" && r.Query.Contains("uploadId=u1", StringComparison.Ordinal));
        Assert.Equal("\"0123456789abcdef0123456789abcdef-2\"", complete.Headers[ReplicaHeaders.ETag]);
        Assert.Contains(ReplicaHeaders.VersionId, complete.SignedHeaders);
        Assert.DoesNotContain(destination.Requests, r => r.Method == "DELETE");
    }

    [GeneratedRegex(@"bytes=(\d+)-(\d+)")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"partNumber=(\d+)")]
    private static partial Regex PartPattern();
}
