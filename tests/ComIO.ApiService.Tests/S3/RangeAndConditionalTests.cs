using System.Globalization;
using System.Net;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>GetObject/HeadObject byte ranges (206/416), conditional reads (412/304) and response-* overrides.</summary>
public sealed class RangeAndConditionalTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>, IAsyncLifetime
{
    private const int Size = 100_000; // larger than the inline threshold: served from device extents
    private readonly byte[] _data = [.. Enumerable.Range(0, Size).Select(i => (byte)(i * 7 + (i >> 8)))];
    private string _bucket = "";
    private string _etag = "";
    private DateTimeOffset _lastModified;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ObjectPath => $"/{_bucket}/obj";

    public async ValueTask InitializeAsync()
    {
        _bucket = await cluster.CreateBucketAsync("range");
        var put = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "obj", InputStream = new MemoryStream(_data) }, Ct);
        _etag = put.ETag;
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "empty", ContentBody = "" }, Ct);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, ObjectPath);
        _lastModified = head.Content.Headers.LastModified!.Value;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("bytes=0-9", 0, 10)]
    [InlineData("bytes=5-5", 5, 1)]
    [InlineData("bytes=99990-", 99990, 10)]
    [InlineData("bytes=0-", 0, Size)]
    [InlineData("bytes=-7", Size - 7, 7)]
    [InlineData("bytes=-200000", 0, Size)]
    [InlineData("bytes=99995-200000", 99995, 5)]
    [InlineData("bytes=65530-65545", 65530, 16)]
    public async Task GetObject_ReturnsPartialContent_WhenRangeIsSatisfiable(string range, int offset, int length)
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("Range", range)]);

        Assert.Equal(HttpStatusCode.PartialContent, get.StatusCode);
        Assert.Equal($"bytes {offset}-{offset + length - 1}/{Size}", S3Wire.Header(get, "Content-Range"));
        Assert.Equal(length, get.Content.Headers.ContentLength);
        Assert.Equal(_data.AsSpan(offset, length).ToArray(), await get.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(_etag, S3Wire.Header(get, "ETag"));
        Assert.Equal("bytes", S3Wire.Header(get, "Accept-Ranges"));
    }

    [Theory]
    [InlineData("bytes=0-9", 0, 10)]
    [InlineData("bytes=-7", Size - 7, 7)]
    public async Task HeadObject_ReturnsPartialContentHeaders_WhenRangeIsSatisfiable(string range, int offset, int length)
    {
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, ObjectPath, headers: [("Range", range)]);

        Assert.Equal(HttpStatusCode.PartialContent, head.StatusCode);
        Assert.Equal($"bytes {offset}-{offset + length - 1}/{Size}", S3Wire.Header(head, "Content-Range"));
        Assert.Equal(length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task GetObject_ReturnsRangeToSdk_WhenByteRangeRequested()
    {
        var get = await cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = "obj", ByteRange = new ByteRange(1000, 1999) }, Ct);
        using var body = new MemoryStream();
        await get.ResponseStream.CopyToAsync(body, Ct);

        Assert.Equal(HttpStatusCode.PartialContent, get.HttpStatusCode);
        Assert.Equal(_data.AsSpan(1000, 1000).ToArray(), body.ToArray());
        Assert.Equal($"bytes 1000-1999/{Size}", get.ContentRange);
    }

    [Theory]
    [InlineData("bytes=100000-")]
    [InlineData("bytes=100000-100010")]
    [InlineData("bytes=-0")]
    public async Task GetObject_ReturnsInvalidRangeWithContentRange_WhenRangeIsUnsatisfiable(string range)
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("Range", range)]);

        var error = await S3Assert.ErrorAsync(get, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange");
        Assert.Equal($"bytes */{Size}", S3Wire.Header(get, "Content-Range"));
        Assert.Equal(range, error!.Element("RangeRequested")?.Value);
        Assert.Equal(Size.ToString(CultureInfo.InvariantCulture), error.Element("ActualObjectSize")?.Value);
    }

    [Fact]
    public async Task HeadObject_ReturnsInvalidRangeWithoutBody_WhenRangeIsUnsatisfiable()
    {
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, ObjectPath, headers: [("Range", "bytes=200000-")]);

        await S3Assert.ErrorAsync(head, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange");
        Assert.Equal($"bytes */{Size}", S3Wire.Header(head, "Content-Range"));
    }

    [Fact]
    public async Task GetObject_ReturnsInvalidRange_WhenObjectIsEmpty()
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{_bucket}/empty", headers: [("Range", "bytes=0-")]);

        await S3Assert.ErrorAsync(get, HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange");
        Assert.Equal("bytes */0", S3Wire.Header(get, "Content-Range"));
    }

    [Theory]
    [InlineData("bytes=9-5")]
    [InlineData("bytes=a-b")]
    [InlineData("bytes=0-1,5-6")]
    [InlineData("items=0-9")]
    public async Task GetObject_ReturnsWholeObject_WhenRangeIsNotASingleValidByteRange(string range)
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("Range", range)]);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Null(S3Wire.Header(get, "Content-Range"));
        Assert.Equal(Size, (await get.Content.ReadAsByteArrayAsync(Ct)).Length);
    }

    public static TheoryData<string, string[], int> ReadConditions => new()
    {
        { "If-Match matches", ["If-Match", "{etag}"], 200 },
        { "If-Match star", ["If-Match", "*"], 200 },
        { "If-Match in list", ["If-Match", "\"00000000000000000000000000000000\", {etag}"], 200 },
        { "If-Match differs", ["If-Match", "\"00000000000000000000000000000000\""], 412 },
        { "If-None-Match matches", ["If-None-Match", "{etag}"], 304 },
        { "If-None-Match star", ["If-None-Match", "*"], 304 },
        { "If-None-Match differs", ["If-None-Match", "\"00000000000000000000000000000000\""], 200 },
        { "If-Modified-Since before", ["If-Modified-Since", "{before}"], 200 },
        { "If-Modified-Since at", ["If-Modified-Since", "{at}"], 304 },
        { "If-Modified-Since after", ["If-Modified-Since", "{after}"], 304 },
        { "If-Unmodified-Since before", ["If-Unmodified-Since", "{before}"], 412 },
        { "If-Unmodified-Since at", ["If-Unmodified-Since", "{at}"], 200 },
        { "If-Unmodified-Since after", ["If-Unmodified-Since", "{after}"], 200 },
        { "If-Match true overrides false If-Unmodified-Since", ["If-Match", "{etag}", "If-Unmodified-Since", "{before}"], 200 },
        { "If-None-Match false wins over true If-Modified-Since", ["If-None-Match", "{etag}", "If-Modified-Since", "{before}"], 304 },
        { "If-Match false with If-None-Match false", ["If-Match", "\"00000000000000000000000000000000\"", "If-None-Match", "{etag}"], 412 },
    };

    [Theory]
    [MemberData(nameof(ReadConditions))]
    public async Task GetObject_EvaluatesPreconditionsAsS3Does_WhenConditionalHeadersGiven(string name, string[] headers, int expected)
    {
        Assert.NotEmpty(name);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: Conditions(headers));

        await AssertConditionalOutcomeAsync(get, expected);
        if (expected == 200)
        {
            Assert.Equal(Size, (await get.Content.ReadAsByteArrayAsync(Ct)).Length);
        }
    }

    [Theory]
    [MemberData(nameof(ReadConditions))]
    public async Task HeadObject_EvaluatesPreconditionsAsS3Does_WhenConditionalHeadersGiven(string name, string[] headers, int expected)
    {
        Assert.NotEmpty(name);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, ObjectPath, headers: Conditions(headers));

        await AssertConditionalOutcomeAsync(head, expected);
    }

    [Fact]
    public async Task GetObject_ReturnsNotModifiedWithEtagAndLastModified_WhenIfNoneMatchMatches()
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("If-None-Match", _etag)]);

        Assert.Equal(HttpStatusCode.NotModified, get.StatusCode);
        Assert.Empty(await get.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(_etag, S3Wire.Header(get, "ETag"));
        Assert.Equal(_lastModified, get.Content.Headers.LastModified);
        S3Assert.RequestId(get);
    }

    [Fact]
    public async Task GetObject_ReturnsPreconditionFailedXml_WhenIfMatchFails()
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("If-Match", "\"00000000000000000000000000000000\"")]);

        var error = await S3Assert.ErrorAsync(get, HttpStatusCode.PreconditionFailed, "PreconditionFailed", ObjectPath);
        Assert.Equal("If-Match", error!.Element("Condition")?.Value);
    }

    [Fact]
    public async Task GetObject_NamesFailedCondition_WhenIfUnmodifiedSinceFails()
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("If-Unmodified-Since", Http(_lastModified.AddDays(-1)))]);

        var error = await S3Assert.ErrorAsync(get, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        Assert.Equal("If-Unmodified-Since", error!.Element("Condition")?.Value);
    }

    [Fact]
    public async Task GetObject_AppliesConditionsBeforeRange_WhenBothGiven()
    {
        using var ok = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("If-Match", _etag), ("Range", "bytes=0-3")]);
        using var failed = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath, headers: [("If-None-Match", _etag), ("Range", "bytes=0-3")]);

        Assert.Equal(HttpStatusCode.PartialContent, ok.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, failed.StatusCode);
    }

    [Fact]
    public async Task GetObject_OverridesResponseHeaders_WhenResponseParametersGiven()
    {
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, ObjectPath,
        [
            ("response-content-type", "text/csv"),
            ("response-content-language", "fr"),
            ("response-expires", "Thu, 01 Dec 2044 16:00:00 GMT"),
            ("response-cache-control", "no-cache"),
            ("response-content-disposition", "attachment; filename=\"a b.csv\""),
            ("response-content-encoding", "identity"),
        ]);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("text/csv", S3Wire.Header(get, "Content-Type"));
        Assert.Equal("fr", S3Wire.Header(get, "Content-Language"));
        Assert.Equal("Thu, 01 Dec 2044 16:00:00 GMT", S3Wire.Header(get, "Expires"));
        Assert.Equal("no-cache", S3Wire.Header(get, "Cache-Control"));
        Assert.Equal("attachment; filename=\"a b.csv\"", S3Wire.Header(get, "Content-Disposition"));
        Assert.Equal("identity", S3Wire.Header(get, "Content-Encoding"));
        Assert.Equal(_data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task GetObject_OverridesContentType_WhenSdkSetsResponseHeaderOverrides()
    {
        var request = new GetObjectRequest { BucketName = _bucket, Key = "obj" };
        request.ResponseHeaderOverrides.ContentType = "image/png";
        request.ResponseHeaderOverrides.ContentDisposition = "inline";

        using var get = await cluster.S3.GetObjectAsync(request, Ct);

        Assert.Equal("image/png", get.Headers.ContentType);
        Assert.Equal("inline", get.Headers.ContentDisposition);
    }

    private async Task AssertConditionalOutcomeAsync(HttpResponseMessage response, int expected)
    {
        switch (expected)
        {
            case 200:
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                break;
            case 304:
                Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
                Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
                Assert.Equal(_etag, S3Wire.Header(response, "ETag"));
                break;
            default:
                await S3Assert.ErrorAsync(response, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
                break;
        }
    }

    private (string Name, string Value)[] Conditions(string[] pairs)
    {
        var result = new (string, string)[pairs.Length / 2];
        for (var i = 0; i < result.Length; i++)
        {
            var value = pairs[(2 * i) + 1]
                .Replace("{etag}", _etag, StringComparison.Ordinal)
                .Replace("{before}", Http(_lastModified.AddHours(-1)), StringComparison.Ordinal)
                .Replace("{at}", Http(_lastModified), StringComparison.Ordinal)
                .Replace("{after}", Http(_lastModified.AddHours(1)), StringComparison.Ordinal);
            result[i] = (pairs[2 * i], value);
        }

        return result;
    }

    private static string Http(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}
