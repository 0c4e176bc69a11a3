using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>CopyObject: COPY and REPLACE metadata directives, copy-source conditionals, result document, errors.</summary>
public sealed class CopyObjectTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private const string Zeros = "\"00000000000000000000000000000000\"";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string PathOf(string bucket, string key) => $"/{bucket}/{S3Wire.EncodeKey(key)}";

    private static string CopySource(string bucket, string key) => $"/{bucket}/{S3Wire.EncodeKey(key)}";

    [Fact]
    public async Task CopyObject_CopiesBodyAndAllMetadata_WhenDirectiveIsCopy()
    {
        var (bucket, data, etag) = await SourceAsync("src key+1.bin");
        var target = await cluster.CreateBucketAsync("copydst");

        var copy = await cluster.S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src key+1.bin",
            DestinationBucket = target,
            DestinationKey = "dst/ünï.bin",
            ContentType = "ignored/with-copy",
        }, Ct);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(target, "dst/ünï.bin"));
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(target, "dst/ünï.bin"));

        Assert.Equal(etag, copy.ETag);
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("application/x-source", S3Wire.Header(head, "Content-Type"));
        Assert.Equal("source-value", S3Wire.Header(head, "x-amz-meta-origin"));
        Assert.Equal("attachment", S3Wire.Header(head, "Content-Disposition"));
    }

    [Fact]
    public async Task CopyObject_ReplacesMetadata_WhenDirectiveIsReplace()
    {
        var (bucket, data, _) = await SourceAsync("src");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "replaced"), headers:
        [
            ("x-amz-copy-source", CopySource(bucket, "src")),
            ("x-amz-metadata-directive", "REPLACE"),
            ("x-amz-meta-fresh", "new"),
            ("Content-Type", "text/x-new"),
        ]);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "replaced"));
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "replaced"));

        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        Assert.Equal("text/x-new", S3Wire.Header(head, "Content-Type"));
        Assert.Equal("new", S3Wire.Header(head, "x-amz-meta-fresh"));
        Assert.Null(S3Wire.Header(head, "x-amz-meta-origin"));
        Assert.Null(S3Wire.Header(head, "Content-Disposition"));
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task CopyObject_ReturnsCopyObjectResultDocument_WhenCopySucceeds()
    {
        var (bucket, _, etag) = await SourceAsync("src");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src"))]);

        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        var root = (await S3Wire.XmlAsync(copy)).Root!;
        Assert.Equal(S3Wire.Ns + "CopyObjectResult", root.Name);
        Assert.Equal(etag, root.Element(S3Wire.Ns + "ETag")?.Value);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", root.Element(S3Wire.Ns + "LastModified")?.Value ?? "");
        S3Assert.RequestId(copy);
    }

    [Fact]
    public async Task CopyObject_AcceptsUnprefixedAndEncodedCopySource_WhenKeyHasSpecialCharacters()
    {
        var (bucket, data, _) = await SourceAsync("a b/c+d%e&f=ü.txt");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "copy"), headers: [("x-amz-copy-source", $"{bucket}/{S3Wire.EncodeKey("a b/c+d%e&f=ü.txt")}")]);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "copy"));

        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task CopyObject_ReturnsInvalidRequest_WhenCopyingObjectOntoItselfWithCopyDirective()
    {
        var (bucket, _, _) = await SourceAsync("self");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "self"), headers: [("x-amz-copy-source", CopySource(bucket, "self"))]);

        await S3Assert.ErrorAsync(copy, HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task CopyObject_UpdatesMetadataInPlace_WhenCopyingOntoItselfWithReplace()
    {
        var (bucket, data, _) = await SourceAsync("self");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "self"), headers:
        [
            ("x-amz-copy-source", CopySource(bucket, "self")), ("x-amz-metadata-directive", "REPLACE"), ("x-amz-meta-v", "2"),
        ]);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "self"));

        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        Assert.Equal("2", S3Wire.Header(get, "x-amz-meta-v"));
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task CopyObject_ReturnsNoSuchKey_WhenSourceIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("copynosrc");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "missing"))]);

        await S3Assert.ErrorAsync(copy, HttpStatusCode.NotFound, "NoSuchKey");
    }

    [Fact]
    public async Task CopyObject_ReturnsNoSuchVersion_WhenSourceNamesAVersionOtherThanNull()
    {
        var (bucket, data, _) = await SourceAsync("src");

        using var other = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src") + "?versionId=U" + new string('x', 31))]);
        using var malformed = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src") + "?versionId=3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY")]);
        using var nullVersion = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src") + "?versionId=null")]);

        await S3Assert.ErrorAsync(other, HttpStatusCode.NotFound, "NoSuchVersion");
        await S3Assert.ErrorAsync(malformed, HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Equal(HttpStatusCode.OK, nullVersion.StatusCode);
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "dst"));
        Assert.Equal(data, await get.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task CopyObject_ReturnsNoSuchBucket_WhenDestinationBucketIsMissing()
    {
        var (bucket, _, _) = await SourceAsync("src");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(cluster.NewBucketName("nodst"), "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src"))]);

        await S3Assert.ErrorAsync(copy, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Theory]
    [InlineData("nokey")]
    [InlineData("/only-bucket/")]
    public async Task CopyObject_ReturnsInvalidArgument_WhenCopySourceNamesNoKey(string source)
    {
        var bucket = await cluster.CreateBucketAsync("copybadsrc");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", source)]);

        await S3Assert.ErrorAsync(copy, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task CopyObject_ReturnsInvalidArgument_WhenMetadataDirectiveIsUnknown()
    {
        var (bucket, _, _) = await SourceAsync("src");

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src")), ("x-amz-metadata-directive", "MERGE")]);

        await S3Assert.ErrorAsync(copy, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    public static TheoryData<string, string, bool> CopyConditions => new()
    {
        { "x-amz-copy-source-if-match", "{etag}", true },
        { "x-amz-copy-source-if-match", Zeros, false },
        { "x-amz-copy-source-if-none-match", Zeros, true },
        { "x-amz-copy-source-if-none-match", "{etag}", false },
        { "x-amz-copy-source-if-modified-since", "{before}", true },
        { "x-amz-copy-source-if-modified-since", "{after}", false },
        { "x-amz-copy-source-if-unmodified-since", "{after}", true },
        { "x-amz-copy-source-if-unmodified-since", "{before}", false },
    };

    [Theory]
    [MemberData(nameof(CopyConditions))]
    public async Task CopyObject_EvaluatesCopySourceConditions_WhenGiven(string header, string value, bool copies)
    {
        var (bucket, _, etag) = await SourceAsync("src");
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "src"));
        var modified = head.Content.Headers.LastModified!.Value;
        value = value.Replace("{etag}", etag, StringComparison.Ordinal)
            .Replace("{before}", (modified.AddHours(-1)).UtcDateTime.ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{after}", (modified.AddHours(1)).UtcDateTime.ToString("R", CultureInfo.InvariantCulture), StringComparison.Ordinal);

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src")), (header, value)]);

        if (copies)
        {
            Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        }
        else
        {
            await S3Assert.ErrorAsync(copy, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
            using var dst = await cluster.Wire.SendAsync(HttpMethod.Head, PathOf(bucket, "dst"));
            Assert.Equal(HttpStatusCode.NotFound, dst.StatusCode);
        }
    }

    [Fact]
    public async Task CopyObject_ReturnsPreconditionFailedAndKeepsDestination_WhenIfNoneMatchStarAndDestinationExists()
    {
        var (bucket, _, _) = await SourceAsync("src");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dst", ContentBody = "existing" }, Ct);

        using var copy = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src")), ("If-None-Match", "*")]);
        using var fresh = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "fresh"), headers: [("x-amz-copy-source", CopySource(bucket, "src")), ("If-None-Match", "*")]);

        await S3Assert.ErrorAsync(copy, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, PathOf(bucket, "dst"));
        Assert.Equal("existing", await get.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task CopyObject_ChecksDestinationEtag_WhenIfMatchGiven()
    {
        var (bucket, _, _) = await SourceAsync("src");
        var existing = await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dst", ContentBody = "existing" }, Ct);

        using var mismatch = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src")), ("If-Match", Zeros)]);
        using var match = await cluster.Wire.SendAsync(HttpMethod.Put, PathOf(bucket, "dst"), headers: [("x-amz-copy-source", CopySource(bucket, "src")), ("If-Match", existing.ETag)]);

        await S3Assert.ErrorAsync(mismatch, HttpStatusCode.PreconditionFailed, "PreconditionFailed");
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);
    }

    [Fact]
    public async Task CopyObject_ReturnsPreconditionFailedToSdk_WhenETagToMatchDiffers()
    {
        var (bucket, _, _) = await SourceAsync("src");

        await S3Assert.SdkErrorAsync(() => cluster.S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src",
            DestinationBucket = bucket,
            DestinationKey = "dst",
            ETagToMatch = Zeros,
        }, Ct), HttpStatusCode.PreconditionFailed, "PreconditionFailed");
    }

    private async Task<(string Bucket, byte[] Data, string ETag)> SourceAsync(string key)
    {
        var bucket = await cluster.CreateBucketAsync("copy");
        var data = RandomNumberGenerator.GetBytes(50_000);
        var put = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data), ContentType = "application/x-source" };
        put.Metadata["origin"] = "source-value";
        put.Headers.ContentDisposition = "attachment";
        var response = await cluster.S3.PutObjectAsync(put, Ct);
        return (bucket, data, response.ETag);
    }
}
