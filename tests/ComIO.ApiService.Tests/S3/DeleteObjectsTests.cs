using System.Net;
using System.Text;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>DeleteObjects (POST ?delete): verbose and quiet results, integrity header, schema validation.</summary>
public sealed class DeleteObjectsTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteObjects_DeletesEveryKeyAndReportsEach_WhenSentBySdk()
    {
        var bucket = await CreateWithKeysAsync(12);

        var result = await cluster.S3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [.. Enumerable.Range(0, 12).Select(i => new KeyVersion { Key = $"k{i:D2}" }), new KeyVersion { Key = "never-existed" }],
        }, Ct);
        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);

        Assert.Equal(13, result.DeletedObjects.Count);
        Assert.Contains(result.DeletedObjects, d => d.Key == "never-existed");
        Assert.Empty(result.DeleteErrors ?? []);
        Assert.Empty(left.S3Objects ?? []);
    }

    [Fact]
    public async Task DeleteObjects_ReturnsEmptyResult_WhenQuiet()
    {
        var bucket = await CreateWithKeysAsync(3);
        var body = Xml("<Quiet>true</Quiet><Object><Key>k00</Key></Object><Object><Key>k01</Key></Object><Object><Key>missing</Key></Object>");

        using var response = await PostDeleteAsync(bucket, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(S3Wire.Ns + "DeleteResult", root.Name);
        Assert.Empty(root.Elements());
        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal("k02", Assert.Single(left.S3Objects).Key);
    }

    [Fact]
    public async Task DeleteObjects_ListsDeletedKeysInXml_WhenNotQuiet()
    {
        var bucket = await CreateWithKeysAsync(1);
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "a & b", ContentBody = "v" }, Ct);
        var body = Xml("<Object><Key>k00</Key></Object><Object><Key>a &amp; b</Key></Object>");

        using var response = await PostDeleteAsync(bucket, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        var deleted = root.Elements(S3Wire.Ns + "Deleted").Select(d => d.Element(S3Wire.Ns + "Key")!.Value).ToList();
        Assert.Equal(["k00", "a & b"], deleted);
    }

    [Theory]
    [InlineData("not xml")]
    [InlineData("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"></Delete>")]
    [InlineData("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object></Object></Delete>")]
    [InlineData("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key></Key></Object></Delete>")]
    [InlineData("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a</Key></Object>")]
    [InlineData("<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a</Key></Object><Bogus/></Delete>")]
    [InlineData("<NotDelete><Object><Key>a</Key></Object></NotDelete>")]
    [InlineData("<!DOCTYPE Delete [<!ENTITY x \"k00\">]><Delete><Object><Key>&x;</Key></Object></Delete>")]
    public async Task DeleteObjects_ReturnsMalformedXmlAndDeletesNothing_WhenBodyDoesNotMatchSchema(string xml)
    {
        var bucket = await CreateWithKeysAsync(1);

        using var response = await PostDeleteAsync(bucket, Encoding.UTF8.GetBytes(xml));

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "MalformedXML");
        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Single(left.S3Objects);
    }

    [Fact]
    public async Task DeleteObjects_ReportsEveryKey_WhenExactly1000KeysAreSent()
    {
        var bucket = await cluster.CreateBucketAsync("del1000");
        var body = Xml(string.Concat(Enumerable.Range(0, 1000).Select(i => $"<Object><Key>k{i}</Key></Object>")));

        using var response = await PostDeleteAsync(bucket, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000, (await S3Wire.XmlAsync(response)).Root!.Elements(S3Wire.Ns + "Deleted").Count());
    }

    [Fact]
    public async Task DeleteObjects_ReturnsMalformedXml_WhenMoreThan1000Keys()
    {
        var bucket = await cluster.CreateBucketAsync("del1001");
        var body = Xml(string.Concat(Enumerable.Range(0, 1001).Select(i => $"<Object><Key>k{i}</Key></Object>")));

        using var response = await PostDeleteAsync(bucket, body);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "MalformedXML");
    }

    [Fact]
    public async Task DeleteObjects_ReturnsInvalidRequest_WhenNeitherContentMd5NorChecksumIsSent()
    {
        var bucket = await CreateWithKeysAsync(1);

        using var response = await cluster.Wire.SendAsync(HttpMethod.Post, "/" + bucket, [("delete", "")], Xml("<Object><Key>k00</Key></Object>"));

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequest");
    }

    [Fact]
    public async Task DeleteObjects_ReturnsBadDigestAndDeletesNothing_WhenContentMd5DoesNotMatch()
    {
        var bucket = await CreateWithKeysAsync(1);

        using var response = await cluster.Wire.SendAsync(HttpMethod.Post, "/" + bucket, [("delete", "")], Xml("<Object><Key>k00</Key></Object>"),
            [("Content-MD5", S3Wire.Md5Base64("other"u8.ToArray()))]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "BadDigest");
        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Single(left.S3Objects);
    }

    [Fact]
    public async Task DeleteObjects_Succeeds_WhenChecksumHeaderReplacesContentMd5()
    {
        var bucket = await CreateWithKeysAsync(1);
        var body = Xml("<Object><Key>k00</Key></Object>");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Post, "/" + bucket, [("delete", "")], body,
            [("x-amz-checksum-sha256", Checksums.Base64("SHA256", body))]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DeleteObjects_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        using var response = await PostDeleteAsync(cluster.NewBucketName("delnob"), Xml("<Object><Key>k</Key></Object>"));

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Fact]
    public async Task DeleteObjects_ReturnsMalformedXmlAndDeletesNothing_ForEveryTruncationOfAValidBody()
    {
        var bucket = await CreateWithKeysAsync(1);
        var body = Encoding.UTF8.GetBytes("<Delete><Quiet>false</Quiet><Object><Key>k00</Key></Object></Delete>");

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body[..length];
            using var response = await PostDeleteAsync(bucket, prefix);
            await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "MalformedXML");
        }

        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Single(left.S3Objects);
        using var whole = await PostDeleteAsync(bucket, body);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
    }

    [Fact]
    public void Parse_ThrowsOnlyMalformedXml_WhenBodyIsRandomBytes()
    {
        var random = new Random(20261126);
        for (var i = 0; i < 2_000; i++)
        {
            var body = new byte[random.Next(0, 200)];
            random.NextBytes(body);
            if (i % 2 == 0)
            {
                // Half of the inputs start like a real document so the parser gets past the first element.
                var start = "<Delete><Object><Key>"u8.ToArray();
                body = [.. start, .. body];
            }

            var error = Assert.Throws<ComIO.ApiService.Protocol.Errors.S3Exception>(() => ComIO.ApiService.Handlers.DeleteObjectsHandler.Parse(body));
            Assert.Contains(error.Error.Code, new[] { "MalformedXML", "KeyTooLongError" });
        }
    }

    [Fact]
    public async Task DeleteObjects_DeletesNothing_WhenBodyIsShorterThanContentLength()
    {
        var bucket = await CreateWithKeysAsync(1);
        var body = Xml("<Object><Key>k00</Key></Object>");

        var (status, _) = await cluster.Wire.SendRawAsync("POST", $"/{bucket}?delete",
            [("Content-Length", (body.Length + 50).ToString(System.Globalization.CultureInfo.InvariantCulture)), ("Content-MD5", S3Wire.Md5Base64(body))],
            body, S3Wire.UnsignedPayload, halfClose: true);

        Assert.True(status is 0 or 400, $"status {status}");
        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Single(left.S3Objects);
    }

    [Fact]
    public async Task DeleteObjects_ReturnsXAmzContentSha256MismatchAndDeletesNothing_WhenPayloadHashIsWrong()
    {
        var bucket = await CreateWithKeysAsync(1);
        var body = Xml("<Object><Key>k00</Key></Object>");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Post, "/" + bucket, [("delete", "")], body, [("Content-MD5", S3Wire.Md5Base64(body))],
            payloadHash: S3Wire.Sha256Hex([.. body, 0]));

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch");
        var left = await cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Single(left.S3Objects);
    }

    private static byte[] Xml(string inner) =>
        Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{inner}</Delete>");

    private Task<HttpResponseMessage> PostDeleteAsync(string bucket, byte[] body) =>
        cluster.Wire.SendAsync(HttpMethod.Post, "/" + bucket, [("delete", "")], body, [("Content-MD5", S3Wire.Md5Base64(body))]);

    private async Task<string> CreateWithKeysAsync(int count)
    {
        var bucket = await cluster.CreateBucketAsync("dels");
        await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"k{i:D2}", ContentBody = "v" }, Ct)));
        return bucket;
    }
}
