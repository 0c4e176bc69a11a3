using ComIO.ReplicationWorker.S3;
using ComIO.ReplicationWorker.Tests.Harness;
using Microsoft.AspNetCore.Http;

namespace ComIO.ReplicationWorker.Tests.S3;

/// <summary>How the source reader turns the local site's GET responses into a <see cref="ComIO.ReplicationWorker.Copying.SourceVersion"/>.</summary>
public sealed class S3SourceReaderWireTests
{
    private static S3SourceReader Reader(RecordingS3Server server) =>
        new(new S3ClientFactory(TestOptions.Worker(o => o.SourceEndpoint = server.Endpoint)), TestOptions.Worker(o => o.SourceEndpoint = server.Endpoint));

    [Fact]
    public async Task OpenAsync_ReadsTheVersion_WithEverythingTheReplicaNeeds()
    {
        await using var server = await RecordingS3Server.StartAsync(async (context, _) =>
        {
            var headers = context.Response.Headers;
            headers.ContentType = "image/png";
            headers.ETag = "\"5d41402abc4b2a76b9719d911017c592\""; // MD5 of the body: AWSSDK checks it
            headers["x-amz-version-id"] = "v1";
            headers["x-amz-meta-color"] = "blue";
            headers.CacheControl = "max-age=60";
            headers.ContentDisposition = "inline";
            headers.ContentLanguage = "en";
            headers.Expires = "Thu, 01 Dec 2033 16:00:00 GMT";
            headers["x-amz-tagging-count"] = "2";
            headers["x-amz-object-lock-mode"] = "COMPLIANCE";
            headers["x-amz-object-lock-retain-until-date"] = "2030-01-02T03:04:05.000Z";
            headers["x-amz-object-lock-legal-hold"] = "ON";
            context.Response.ContentLength = 5;
            await context.Response.Body.WriteAsync("hello"u8.ToArray());
        });
        using var reader = Reader(server);

        await using var opened = await reader.OpenAsync("photos", "a.png", "v1", 0, null, TestContext.Current.CancellationToken);

        Assert.NotNull(opened);
        var version = opened.Version;
        Assert.Equal(5, version.ContentLength);
        Assert.Equal("\"5d41402abc4b2a76b9719d911017c592\"", version.ETag);
        Assert.Equal("image/png", version.ContentType);
        Assert.Equal("max-age=60", version.CacheControl);
        Assert.Equal("inline", version.ContentDisposition);
        Assert.Equal("en", version.ContentLanguage);
        Assert.Equal("Thu, 01 Dec 2033 16:00:00 GMT", version.Expires);
        Assert.Equal("blue", Assert.Single(version.Metadata, m => m.Key.EndsWith("color", StringComparison.Ordinal)).Value);
        Assert.Equal(2, version.TagCount);
        Assert.Equal("COMPLIANCE", version.ObjectLockMode);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), version.ObjectLockRetainUntil);
        Assert.Equal("ON", version.ObjectLockLegalHold);
        var body = new MemoryStream();
        await opened.Body.CopyToAsync(body, TestContext.Current.CancellationToken);
        Assert.Equal("hello"u8.ToArray(), body.ToArray());
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Contains("versionId=v1", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_ReturnsTheBytesAsStored_EvenWhenTheObjectIsContentEncoded()
    {
        var stored = new byte[] { 0x1f, 0x8b, 1, 2, 3, 4, 5, 6 }; // a gzip header and then not gzip at all
        await using var server = await RecordingS3Server.StartAsync(async (context, _) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.Headers.ETag = "\"abc-2\"";
            context.Response.ContentLength = stored.Length;
            await context.Response.Body.WriteAsync(stored);
        });
        using var reader = Reader(server);

        await using var opened = await reader.OpenAsync("photos", "a.gz", "v1", 0, null, TestContext.Current.CancellationToken);

        var body = new MemoryStream();
        await opened!.Body.CopyToAsync(body, TestContext.Current.CancellationToken);
        Assert.Equal(stored, body.ToArray());
        Assert.Equal("gzip", opened.Version.ContentEncoding);
    }

    [Fact]
    public async Task OpenAsync_WithARange_AsksForTheRange_AndTakesTheSizeFromContentRange()
    {
        await using var server = await RecordingS3Server.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 206;
            context.Response.Headers.ETag = "\"abc-3\"";
            context.Response.Headers.ContentRange = "bytes 5-9/100";
            context.Response.ContentLength = 5;
            await context.Response.Body.WriteAsync("56789"u8.ToArray());
        });
        using var reader = Reader(server);

        await using var opened = await reader.OpenAsync("photos", "big", "v1", 5, 5, TestContext.Current.CancellationToken);

        Assert.NotNull(opened);
        Assert.Equal(100, opened.Version.ContentLength);
        Assert.Equal(5, opened.BodyLength);
        Assert.Equal("bytes=5-9", Assert.Single(server.Requests).Headers["range"]);
    }

    [Theory]
    [InlineData("NoSuchVersion")]
    [InlineData("NoSuchKey")]
    public async Task OpenAsync_ReturnsNull_WhenTheVersionIsGone(string code)
    {
        await using var server = await RecordingS3Server.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = 404;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync($"<Error><Code>{code}</Code><Message>gone</Message></Error>");
        });
        using var reader = Reader(server);

        Assert.Null(await reader.OpenAsync("photos", "k", "v1", 0, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task OpenAsync_Throws_WhenTheSourceFails()
    {
        await using var server = await RecordingS3Server.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        });
        using var reader = Reader(server);

        await Assert.ThrowsAnyAsync<Exception>(() => reader.OpenAsync("photos", "k", "v1", 0, null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetTagsAsync_ReadsTheVersionsTagSet()
    {
        await using var server = await RecordingS3Server.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(
                "<Tagging><TagSet><Tag><Key>team</Key><Value>a b</Value></Tag><Tag><Key>env</Key><Value>prod</Value></Tag></TagSet></Tagging>");
        });
        using var reader = Reader(server);

        var tags = await reader.GetTagsAsync("photos", "k", "v1", TestContext.Current.CancellationToken);

        Assert.Equal([new("team", "a b"), new("env", "prod")], tags);
        var request = Assert.Single(server.Requests);
        Assert.Contains("tagging", request.Query, StringComparison.Ordinal);
        Assert.Contains("versionId=v1", request.Query, StringComparison.Ordinal);
    }
}
