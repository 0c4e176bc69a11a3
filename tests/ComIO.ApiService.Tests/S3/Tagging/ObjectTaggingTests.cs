using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Tagging;

/// <summary>
/// Object tagging as AWS defines it: PutObjectTagging / GetObjectTagging / DeleteObjectTagging, the <c>x-amz-tagging</c>
/// header on PutObject, CopyObject (<c>x-amz-tagging-directive</c>) and CreateMultipartUpload, and
/// <c>x-amz-tagging-count</c> on GET and HEAD. Checked through the AWS SDK and on the wire.
/// </summary>
public sealed class ObjectTaggingTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] TaggingXml(params (string Key, string Value)[] tags) => Encoding.UTF8.GetBytes(
        "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>"
        + string.Concat(tags.Select(t => $"<Tag><Key>{System.Security.SecurityElement.Escape(t.Key)}</Key><Value>{System.Security.SecurityElement.Escape(t.Value)}</Value></Tag>"))
        + "</TagSet></Tagging>");

    private Task<HttpResponseMessage> PutTaggingAsync(string bucket, string key, byte[] body, bool md5 = true) =>
        cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/{S3Wire.EncodeKey(key)}", [("tagging", "")], body, md5 ? [("Content-MD5", S3Wire.Md5Base64(body))] : []);

    private async Task<List<(string Key, string Value)>> GetTagsOnWireAsync(string bucket, string key)
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/{S3Wire.EncodeKey(key)}", [("tagging", "")]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(S3Wire.Ns + "Tagging", root.Name);
        var tagSet = Assert.Single(root.Elements());
        Assert.Equal(S3Wire.Ns + "TagSet", tagSet.Name);
        return [.. tagSet.Elements(S3Wire.Ns + "Tag").Select(t => (t.Element(S3Wire.Ns + "Key")!.Value, t.Element(S3Wire.Ns + "Value")!.Value))];
    }

    private async Task<string> CreateObjectAsync(string bucket, string key, string? tagging = null)
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = "body" };
        if (tagging is not null)
        {
            request.Headers["x-amz-tagging"] = tagging;
        }

        var put = await cluster.S3.PutObjectAsync(request, Ct);
        return put.ETag;
    }

    [Fact]
    public async Task PutObject_StoresTagSetFromSdk_AndGetObjectTaggingReturnsItInOrder_WithTagCountOnGetAndHead()
    {
        var bucket = await cluster.CreateBucketAsync("tg");
        await cluster.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "dir/k",
            ContentBody = "hello",
            TagSet = [new Tag { Key = "project", Value = "comio" }, new Tag { Key = "a b", Value = "ünï côdé" }, new Tag { Key = "empty", Value = "" }],
        }, Ct);

        var tagging = await cluster.S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "dir/k" }, Ct);
        Assert.Equal([("project", "comio"), ("a b", "ünï côdé"), ("empty", "")], tagging.Tagging.Select(t => (t.Key, t.Value ?? "")));
        using var get = await cluster.S3.GetObjectAsync(bucket, "dir/k", Ct);
        Assert.Equal(3, get.TagCount);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/dir/k");
        Assert.Equal("3", S3Wire.Header(head, "x-amz-tagging-count"));

        await CreateObjectAsync(bucket, "plain");
        using var plainHead = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/plain");
        using var plainGet = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/plain");
        Assert.Null(S3Wire.Header(plainHead, "x-amz-tagging-count"));
        Assert.Null(S3Wire.Header(plainGet, "x-amz-tagging-count"));
        Assert.Empty(await GetTagsOnWireAsync(bucket, "plain"));
    }

    [Fact]
    public async Task PutObjectTagging_ReplacesTagSetWithoutChangingObject_AndDeleteObjectTaggingRemovesIt()
    {
        var bucket = await cluster.CreateBucketAsync("tr");
        var etag = await CreateObjectAsync(bucket, "k", "old=1&other=2");
        var before = await cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct);

        var put = await cluster.S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "k",
            Tagging = new Amazon.S3.Model.Tagging { TagSet = [new Tag { Key = "new", Value = "v" }] },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);
        Assert.Equal([("new", "v")], await GetTagsOnWireAsync(bucket, "k"));
        var after = await cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct);
        Assert.Equal(etag, after.ETag);
        Assert.Equal(before.LastModified, after.LastModified);
        using (var get = await cluster.S3.GetObjectAsync(bucket, "k", Ct))
        using (var reader = new StreamReader(get.ResponseStream))
        {
            Assert.Equal("body", await reader.ReadToEndAsync(Ct));
        }

        using var delete = await cluster.Wire.SendAsync(HttpMethod.Delete, $"/{bucket}/k", [("tagging", "")]);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(await GetTagsOnWireAsync(bucket, "k"));
        var sdkDelete = await cluster.S3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "k" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, sdkDelete.HttpStatusCode);

        // The object itself is still there, unchanged.
        Assert.Equal(etag, (await cluster.S3.GetObjectMetadataAsync(bucket, "k", Ct)).ETag);

        // An empty TagSet is valid and clears the tags too.
        await CreateObjectAsync(bucket, "k2", "x=y");
        using var empty = await PutTaggingAsync(bucket, "k2", TaggingXml());
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Empty(await GetTagsOnWireAsync(bucket, "k2"));
    }

    [Fact]
    public async Task PutObjectTagging_RequiresContentMd5OrChecksum_AndVerifiesIt()
    {
        var bucket = await cluster.CreateBucketAsync("ti");
        await CreateObjectAsync(bucket, "k");
        var body = TaggingXml(("a", "1"));

        using var missing = await PutTaggingAsync(bucket, "k", body, md5: false);
        var error = await S3Assert.ErrorAsync(missing, HttpStatusCode.BadRequest, "InvalidRequest");
        Assert.Equal("Missing required header for this request: Content-MD5", error!.Element("Message")!.Value);

        using var wrong = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", [("tagging", "")], body, [("Content-MD5", S3Wire.Md5Base64([1, 2, 3]))]);
        await S3Assert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "BadDigest");

        using var badChecksum = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", [("tagging", "")], body, [("x-amz-checksum-crc32", Checksums.Base64("CRC32", [1]))]);
        await S3Assert.ErrorAsync(badChecksum, HttpStatusCode.BadRequest, "BadDigest");
        Assert.Empty(await GetTagsOnWireAsync(bucket, "k"));

        using var withChecksum = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", [("tagging", "")], body, [("x-amz-checksum-sha256", Checksums.Base64("SHA256", body))]);
        Assert.Equal(HttpStatusCode.OK, withChecksum.StatusCode);
        Assert.Equal([("a", "1")], await GetTagsOnWireAsync(bucket, "k"));
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("")]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></Tagging>")]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Value>a</Value></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>a</Key><Value>1</Value><Bogus/></Tag></TagSet></Tagging>")]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet>")]
    [InlineData("<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Other/></TagSet></Tagging>")]
    [InlineData("<NotTagging><TagSet/></NotTagging>")]
    [InlineData("<!DOCTYPE Tagging [<!ENTITY x \"k\">]><Tagging><TagSet><Tag><Key>&x;</Key><Value>v</Value></Tag></TagSet></Tagging>")]
    public async Task PutObjectTagging_ReturnsMalformedXmlAndKeepsTags_WhenBodyDoesNotMatchSchema(string xml)
    {
        var bucket = await cluster.CreateBucketAsync("tm");
        await CreateObjectAsync(bucket, "k", "keep=1");

        using var response = await PutTaggingAsync(bucket, "k", Encoding.UTF8.GetBytes(xml));

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "MalformedXML");
        Assert.Equal([("keep", "1")], await GetTagsOnWireAsync(bucket, "k"));
    }

    public static TheoryData<string, string, string> InvalidTagSets => new()
    {
        { string.Concat(Enumerable.Range(0, 11).Select(i => $"<Tag><Key>k{i}</Key><Value>v</Value></Tag>")), "BadRequest", "Object tags cannot be greater than 10" },
        { "<Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag>", "InvalidTag", "Cannot provide multiple Tags with the same key" },
        { $"<Tag><Key>{new string('k', 129)}</Key><Value>v</Value></Tag>", "InvalidTag", "The TagKey you have provided is invalid" },
        { "<Tag><Key></Key><Value>v</Value></Tag>", "InvalidTag", "The TagKey you have provided is invalid" },
        { $"<Tag><Key>k</Key><Value>{new string('v', 257)}</Value></Tag>", "InvalidTag", "The TagValue you have provided is invalid" },
        { "<Tag><Key>k</Key><Value>a,b</Value></Tag>", "InvalidTag", "The TagValue you have provided is invalid" },
        { "<Tag><Key>k*</Key><Value>v</Value></Tag>", "InvalidTag", "The TagKey you have provided is invalid" },
        { "<Tag><Key>aws:owner</Key><Value>v</Value></Tag>", "InvalidTag", "Your TagKey cannot be prefixed with aws:" },
    };

    [Theory]
    [MemberData(nameof(InvalidTagSets))]
    public async Task PutObjectTagging_ReturnsAwsError_WhenTagSetBreaksLimits(string tags, string code, string message)
    {
        var bucket = await cluster.CreateBucketAsync("tl");
        await CreateObjectAsync(bucket, "k", "keep=1");
        var body = Encoding.UTF8.GetBytes($"<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet>{tags}</TagSet></Tagging>");

        using var response = await PutTaggingAsync(bucket, "k", body);

        var error = await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(message, error!.Element("Message")!.Value);
        Assert.Equal([("keep", "1")], await GetTagsOnWireAsync(bucket, "k"));
    }

    [Fact]
    public async Task PutObjectTagging_AcceptsLimits_TenTagsOf128And256Characters_AndAllowedPunctuation()
    {
        var bucket = await cluster.CreateBucketAsync("ta");
        await CreateObjectAsync(bucket, "k");
        var tags = Enumerable.Range(0, 8).Select(i => ($"k{i}", "")).ToList();
        tags.Add((string.Concat(Enumerable.Repeat("ü", 128)), new string('v', 256)));
        tags.Add(("+- =._:/@", "+- =._:/@ Ключ 1"));

        using var response = await PutTaggingAsync(bucket, "k", TaggingXml([.. tags]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(tags, await GetTagsOnWireAsync(bucket, "k"));
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/k");
        Assert.Equal("10", S3Wire.Header(head, "x-amz-tagging-count"));
    }

    [Fact]
    public async Task Tagging_ReturnsNoSuchKey_ForMissingObject_AndNoSuchBucket_ForMissingBucket()
    {
        var bucket = await cluster.CreateBucketAsync("tn");
        var body = TaggingXml(("a", "1"));

        using var get = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/missing", [("tagging", "")]);
        await S3Assert.ErrorAsync(get, HttpStatusCode.NotFound, "NoSuchKey");
        using var put = await PutTaggingAsync(bucket, "missing", body);
        await S3Assert.ErrorAsync(put, HttpStatusCode.NotFound, "NoSuchKey");
        using var delete = await cluster.Wire.SendAsync(HttpMethod.Delete, $"/{bucket}/missing", [("tagging", "")]);
        await S3Assert.ErrorAsync(delete, HttpStatusCode.NotFound, "NoSuchKey");
        using var noBucket = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{cluster.NewBucketName("nb")}/k", [("tagging", "")]);
        await S3Assert.ErrorAsync(noBucket, HttpStatusCode.NotFound, "NoSuchBucket");

        // A PUT ?tagging never creates the object.
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/missing");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task BucketTagging_StillReturnsNotImplemented()
    {
        var bucket = await cluster.CreateBucketAsync("tb");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/" + bucket, [("tagging", "")]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotImplemented, "NotImplemented");
    }

    [Fact]
    public async Task PutObject_ParsesUrlEncodedTaggingHeader()
    {
        var bucket = await cluster.CreateBucketAsync("th");

        await CreateObjectAsync(bucket, "k", "a%20b=c%2Fd&flag&&%C3%BC=%C3%A9&plus=x+y&last=");

        Assert.Equal([("a b", "c/d"), ("flag", ""), ("ü", "é"), ("plus", "x y"), ("last", "")], await GetTagsOnWireAsync(bucket, "k"));
    }

    [Theory]
    [InlineData("a=1&a=2", "InvalidArgument")]
    [InlineData("k0=&k1=&k2=&k3=&k4=&k5=&k6=&k7=&k8=&k9=&k10=", "BadRequest")]
    [InlineData("k=a%2Cb", "InvalidTag")]
    [InlineData("aws%3Ax=1", "InvalidTag")]
    public async Task PutObject_RejectsInvalidTaggingHeader_AndStoresNothing(string header, string code)
    {
        var bucket = await cluster.CreateBucketAsync("tx");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: [1], headers: [("x-amz-tagging", header)]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, code);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/k");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task CopyObject_CopiesSourceTagsByDefault_AndReplacesThemWithDirectiveReplace()
    {
        var bucket = await cluster.CreateBucketAsync("tc");
        await CreateObjectAsync(bucket, "src", "s=1&t=2");

        await cluster.S3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "src", DestinationBucket = bucket, DestinationKey = "copy" }, Ct);
        Assert.Equal([("s", "1"), ("t", "2")], await GetTagsOnWireAsync(bucket, "copy"));

        await cluster.S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = bucket,
            SourceKey = "src",
            DestinationBucket = bucket,
            DestinationKey = "replaced",
            TaggingDirective = TaggingDirective.REPLACE,
            TagSet = [new Tag { Key = "r", Value = "new" }],
        }, Ct);
        Assert.Equal([("r", "new")], await GetTagsOnWireAsync(bucket, "replaced"));

        // COPY ignores a tagging header; REPLACE without one leaves the copy untagged.
        using var copyIgnoring = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/ignored", headers: [("x-amz-copy-source", $"/{bucket}/src"), ("x-amz-tagging", "z=9")]);
        Assert.Equal(HttpStatusCode.OK, copyIgnoring.StatusCode);
        Assert.Equal([("s", "1"), ("t", "2")], await GetTagsOnWireAsync(bucket, "ignored"));
        using var replaceEmpty = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/untagged", headers: [("x-amz-copy-source", $"/{bucket}/src"), ("x-amz-tagging-directive", "REPLACE")]);
        Assert.Equal(HttpStatusCode.OK, replaceEmpty.StatusCode);
        Assert.Empty(await GetTagsOnWireAsync(bucket, "untagged"));

        using var bogus = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/bogus", headers: [("x-amz-copy-source", $"/{bucket}/src"), ("x-amz-tagging-directive", "MERGE")]);
        await S3Assert.ErrorAsync(bogus, HttpStatusCode.BadRequest, "InvalidArgument");
        using var bad = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/bad", headers: [("x-amz-copy-source", $"/{bucket}/src"), ("x-amz-tagging-directive", "REPLACE"), ("x-amz-tagging", "aws:x=1")]);
        await S3Assert.ErrorAsync(bad, HttpStatusCode.BadRequest, "InvalidTag");
    }

    [Fact]
    public async Task CompleteMultipartUpload_CarriesTagsOfCreateMultipartUpload_IntoTheObject()
    {
        var bucket = await cluster.CreateBucketAsync("tu");
        var init = await cluster.S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "mp",
            TagSet = [new Tag { Key = "kind", Value = "multipart" }, new Tag { Key = "n", Value = "2" }],
        }, Ct);
        var part1 = new byte[5 * 1024 * 1024];
        var part2 = new byte[100];
        var p1 = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(part1) }, Ct);
        var p2 = await cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = init.UploadId, PartNumber = 2, InputStream = new MemoryStream(part2) }, Ct);
        await cluster.S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = "mp",
            UploadId = init.UploadId,
            PartETags = [new PartETag(1, p1.ETag), new PartETag(2, p2.ETag)],
        }, Ct);

        Assert.Equal([("kind", "multipart"), ("n", "2")], await GetTagsOnWireAsync(bucket, "mp"));
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/mp");
        Assert.Equal("2", S3Wire.Header(head, "x-amz-tagging-count"));

        using var invalid = await cluster.Wire.SendAsync(HttpMethod.Post, $"/{bucket}/mp2", [("uploads", "")], headers: [("x-amz-tagging", "a=1&a=2")]);
        await S3Assert.ErrorAsync(invalid, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task GetObjectTagging_ReturnsExactXmlShape()
    {
        var bucket = await cluster.CreateBucketAsync("tx");
        await CreateObjectAsync(bucket, "k", "a=1");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/k", [("tagging", "")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", S3Wire.ContentType(response)?.MediaType);
        var document = await S3Wire.XmlAsync(response);
        XNamespace ns = S3Wire.Ns;
        var expected = new XElement(ns + "Tagging", new XElement(ns + "TagSet", new XElement(ns + "Tag", new XElement(ns + "Key", "a"), new XElement(ns + "Value", "1"))));
        Assert.Equal(expected.ToString(SaveOptions.DisableFormatting), document.Root!.ToString(SaveOptions.DisableFormatting));
    }

    [Fact]
    public async Task Sdk_PutObjectTagging_FailsWithAwsErrorCodes()
    {
        var bucket = await cluster.CreateBucketAsync("ts");
        await CreateObjectAsync(bucket, "k");

        await S3Assert.SdkErrorAsync(() => cluster.S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "k",
            Tagging = new Amazon.S3.Model.Tagging { TagSet = [.. Enumerable.Range(0, 11).Select(i => new Tag { Key = $"k{i}", Value = "v" })] },
        }, Ct), HttpStatusCode.BadRequest, "BadRequest");
        await S3Assert.SdkErrorAsync(() => cluster.S3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "nope" }, Ct), HttpStatusCode.NotFound, "NoSuchKey");
        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => cluster.S3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "k",
            Tagging = new Amazon.S3.Model.Tagging { TagSet = [new Tag { Key = "d", Value = "1" }, new Tag { Key = "d", Value = "2" }] },
        }, Ct));
        Assert.Equal("InvalidTag", error.ErrorCode);
    }
}
