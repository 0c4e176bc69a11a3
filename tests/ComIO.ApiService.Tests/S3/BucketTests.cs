using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>CreateBucket, DeleteBucket, HeadBucket, ListBuckets and GetBucketLocation against a live in-process site.</summary>
public sealed class BucketTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static readonly XNamespace Ns = S3Wire.Ns;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateBucket_ReturnsLocationAndListsBucket_WhenNameIsValid()
    {
        var name = cluster.NewBucketName("create");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/" + name, S3Wire.Header(response, "Location"));
        S3Assert.RequestId(response);
        var list = await cluster.S3.ListBucketsAsync(Ct);
        Assert.Contains(list.Buckets, b => b.BucketName == name);
    }

    [Fact]
    public async Task CreateBucket_ReturnsBucketAlreadyOwnedByYou_WhenBucketExists()
    {
        var name = await cluster.CreateBucketAsync("dup");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name);

        await S3Assert.ErrorAsync(response, HttpStatusCode.Conflict, "BucketAlreadyOwnedByYou", "/" + name);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Upper-case")]
    [InlineData("under_score")]
    [InlineData("-leading-hyphen")]
    [InlineData("trailing-hyphen-")]
    [InlineData("double..dot")]
    [InlineData("dot.-hyphen")]
    [InlineData("192.168.10.20")]
    [InlineData("xn--punycode-prefix")]
    [InlineData("name-s3alias")]
    [InlineData("sixty-four-characters-is-one-more-than-the-limit-of-bucket-names")]
    public async Task CreateBucket_ReturnsInvalidBucketName_WhenNameBreaksRules(string name)
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidBucketName");
    }

    [Fact]
    public async Task CreateBucket_AcceptsConfigurationBody_WhenItNamesTheRegion()
    {
        var name = cluster.NewBucketName("cfg");
        var body = Encoding.UTF8.GetBytes($"<CreateBucketConfiguration xmlns=\"{Ns.NamespaceName}\"><LocationConstraint>us-east-1</LocationConstraint></CreateBucketConfiguration>");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name, body: body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("not xml at all")]
    [InlineData("<CreateBucketConfiguration><LocationConstraint>us-east-1</LocationConstraint>")]
    [InlineData("<SomethingElse/>")]
    public async Task CreateBucket_ReturnsMalformedXml_WhenBodyIsNotAConfiguration(string body)
    {
        var name = cluster.NewBucketName("badcfg");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name, body: Encoding.UTF8.GetBytes(body));

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "MalformedXML");
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + name);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task DeleteBucket_ReturnsNoContentAndBucketIsGone_WhenBucketIsEmpty()
    {
        var name = await cluster.CreateBucketAsync("del");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Delete, "/" + name);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + name);
        await S3Assert.ErrorAsync(head, HttpStatusCode.NotFound, "NoSuchBucket");
        var list = await cluster.S3.ListBucketsAsync(Ct);
        Assert.DoesNotContain(list.Buckets ?? [], b => b.BucketName == name);
    }

    [Fact]
    public async Task DeleteBucket_ReturnsBucketNotEmpty_WhenObjectsRemainOnAnyNode()
    {
        var name = await cluster.CreateBucketAsync("full");
        // Enough keys that both nodes hold some, so the check must cover every node.
        for (var i = 0; i < 8; i++)
        {
            await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = name, Key = $"k{i}", ContentBody = "x" }, Ct);
        }

        using var response = await cluster.Wire.SendAsync(HttpMethod.Delete, "/" + name);

        await S3Assert.ErrorAsync(response, HttpStatusCode.Conflict, "BucketNotEmpty", "/" + name);
        for (var i = 0; i < 7; i++)
        {
            await cluster.S3.DeleteObjectAsync(name, $"k{i}", Ct);
        }

        using var stillFull = await cluster.Wire.SendAsync(HttpMethod.Delete, "/" + name);
        await S3Assert.ErrorAsync(stillFull, HttpStatusCode.Conflict, "BucketNotEmpty");
        await cluster.S3.DeleteObjectAsync(name, "k7", Ct);
        await cluster.S3.DeleteBucketAsync(name, Ct);
    }

    [Fact]
    public async Task DeleteBucket_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        var name = cluster.NewBucketName("missing");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Delete, "/" + name);

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, "NoSuchBucket", "/" + name);
    }

    [Fact]
    public async Task HeadBucket_ReturnsRegionHeader_WhenBucketExists()
    {
        var name = await cluster.CreateBucketAsync("head");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + name);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ComIOCluster.Region, S3Wire.Header(response, "x-amz-bucket-region"));
        S3Assert.RequestId(response);
    }

    [Fact]
    public async Task HeadBucket_Returns404WithoutBody_WhenBucketIsMissing()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + cluster.NewBucketName("nohead"));

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, "NoSuchBucket");
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task ListBuckets_ReturnsOwnerAndBucketsInNameOrder_WhenBucketsExist()
    {
        var first = await cluster.CreateBucketAsync("lb-z");
        var second = await cluster.CreateBucketAsync("lb-a");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", S3Wire.ContentType(response)?.MediaType);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(Ns + "ListAllMyBucketsResult", root.Name);
        Assert.False(string.IsNullOrEmpty(root.Element(Ns + "Owner")?.Element(Ns + "ID")?.Value));
        Assert.Equal("comio-admin", root.Element(Ns + "Owner")?.Element(Ns + "DisplayName")?.Value);
        var buckets = root.Element(Ns + "Buckets")!.Elements(Ns + "Bucket").ToList();
        var names = buckets.Select(b => b.Element(Ns + "Name")!.Value).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Contains(first, names);
        Assert.Contains(second, names);
        Assert.All(buckets, b => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", b.Element(Ns + "CreationDate")!.Value));
    }

    [Fact]
    public async Task CreateBucket_ReturnsIllegalLocationConstraint_WhenConstraintNamesAnotherRegion()
    {
        var name = cluster.NewBucketName("eu");
        var body = Encoding.UTF8.GetBytes($"<CreateBucketConfiguration xmlns=\"{Ns.NamespaceName}\"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + name, body: body);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "IllegalLocationConstraintException");
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + name);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task ListBuckets_ReturnsOnlyMatchingBucketsAndEchoesPrefix_WhenPrefixGiven()
    {
        var prefix = $"p{Guid.NewGuid():N}"[..12] + "-";
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await cluster.S3.PutBucketAsync(prefix + suffix, Ct);
        }

        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/", [("prefix", prefix)]);

        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal([prefix + "a", prefix + "b", prefix + "c"], root.Element(Ns + "Buckets")!.Elements(Ns + "Bucket").Select(b => b.Element(Ns + "Name")!.Value));
        Assert.Equal(prefix, root.Element(Ns + "Prefix")?.Value);
        Assert.Null(root.Element(Ns + "ContinuationToken"));
    }

    [Fact]
    public async Task ListBuckets_PaginatesWithContinuationToken_WhenMaxBucketsGiven()
    {
        var prefix = $"q{Guid.NewGuid():N}"[..12] + "-";
        foreach (var suffix in new[] { "1", "2", "3", "4", "5" })
        {
            await cluster.S3.PutBucketAsync(prefix + suffix, Ct);
        }

        var names = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await cluster.S3.ListBucketsAsync(new ListBucketsRequest { Prefix = prefix, MaxBuckets = 2, ContinuationToken = token }, Ct);
            names.AddRange(page.Buckets.Select(b => b.BucketName));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"{prefix}{i}"), names);
        Assert.Equal(3, pages);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("many")]
    public async Task ListBuckets_ReturnsInvalidArgument_WhenMaxBucketsIsOutOfRange(string maxBuckets)
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/", [("max-buckets", maxBuckets)]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task GetBucketLocation_ReturnsEmptyConstraint_WhenRegionIsUsEast1()
    {
        var name = await cluster.CreateBucketAsync("loc");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/" + name, [("location", "")]);
        var sdk = await cluster.S3.GetBucketLocationAsync(name, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(Ns + "LocationConstraint", root.Name);
        Assert.Equal("", root.Value);
        Assert.True(sdk.Location is null || sdk.Location == S3Region.USEast1 || sdk.Location.Value is "" or "us-east-1");
    }

    [Fact]
    public async Task GetBucketLocation_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/" + cluster.NewBucketName("noloc"), [("location", "")]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, "NoSuchBucket");
    }
}
