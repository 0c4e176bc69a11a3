using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Tests.S3.Harness;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>ListObjectsV2 and ListObjects (V1) merged across both nodes: order, pagination, delimiters, encoding, errors.</summary>
public sealed class ListObjectsTests(ListingFixture listing) : IClassFixture<ListingFixture>
{
    private static readonly XNamespace Ns = S3Wire.Ns;

    private ComIOCluster Cluster => listing.Cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Fixture_SpreadsKeysOverEveryNode()
    {
        var nodes = Cluster.ApiServices.GetRequiredService<ClusterNodes>();

        var perNode = listing.Keys.GroupBy(k => nodes.OwnerOf(listing.Bucket, k).Id).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(ComIOCluster.NodeCount, perNode.Count);
        Assert.All(perNode.Values, count => Assert.True(count > listing.Keys.Count / 4, $"unbalanced: {string.Join(", ", perNode)}"));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(333)]
    [InlineData(1)]
    public async Task ListObjectsV2_ReturnsEveryKeyOnceInUtf8Order_WhenPaginatingWithContinuationTokens(int maxKeys)
    {
        var (entries, pages) = await ListAllV2Async([("max-keys", maxKeys.ToString(CultureInfo.InvariantCulture))], maxPages: maxKeys == 1 ? 60 : 100);

        var expected = maxKeys == 1 ? listing.Keys.Take(60).ToList() : listing.Keys;
        Assert.Equal(expected, entries);
        Assert.Equal(maxKeys == 1 ? 60 : (listing.Keys.Count + maxKeys - 1) / maxKeys, pages);
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsEveryKeyOnce_WhenSdkPaginates()
    {
        var keys = new List<string>();
        var paginator = Cluster.S3.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = listing.Bucket, MaxKeys = 700 });
        await foreach (var item in paginator.S3Objects.WithCancellation(Ct))
        {
            keys.Add(item.Key);
        }

        Assert.Equal(listing.Keys, keys);
    }

    [Theory]
    [InlineData("", "/", 1000)]
    [InlineData("", "/", 3)]
    [InlineData("dir3/", "/", 1)]
    [InlineData("dir3/", "/", 1000)]
    [InlineData("dir1/", "/", 2)]
    [InlineData("dir", "/", 4)]
    [InlineData("", "sub", 5)]
    [InlineData("dir2/sub", "/", 1000)]
    [InlineData("top-", "", 7)]
    [InlineData("nothing-here/", "/", 10)]
    public async Task ListObjectsV2_ReturnsKeysAndCommonPrefixesExactlyOnce_WhenPaginatingWithDelimiter(string prefix, string delimiter, int maxKeys)
    {
        var (entries, _) = await ListAllV2Async([("prefix", prefix), ("delimiter", delimiter), ("max-keys", maxKeys.ToString(CultureInfo.InvariantCulture))]);

        Assert.Equal(listing.Expected(prefix, delimiter), entries);
    }

    [Theory]
    [InlineData("dir4/sub1/file0500.txt", "")]
    [InlineData("dir4/sub1/file0500.txt", "/")]
    [InlineData("dir4", "/")]
    [InlineData("top-24", "")]
    [InlineData("\U000E0100", "")]
    public async Task ListObjectsV2_ReturnsKeysAfterStartAfter_WhenStartAfterGiven(string startAfter, string delimiter)
    {
        var (entries, _) = await ListAllV2Async([("start-after", startAfter), ("delimiter", delimiter)]);

        Assert.Equal(listing.Expected("", delimiter, startAfter), entries);
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsDocumentShapedAsAws_WhenTruncated()
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket,
            [("list-type", "2"), ("prefix", "dir5/"), ("delimiter", "/"), ("max-keys", "1"), ("start-after", "dir5/a")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", S3Wire.ContentType(response)?.MediaType);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(Ns + "ListBucketResult", root.Name);
        Assert.Equal(listing.Bucket, root.Element(Ns + "Name")?.Value);
        Assert.Equal("dir5/", root.Element(Ns + "Prefix")?.Value);
        Assert.Equal("/", root.Element(Ns + "Delimiter")?.Value);
        Assert.Equal("1", root.Element(Ns + "MaxKeys")?.Value);
        Assert.Equal("1", root.Element(Ns + "KeyCount")?.Value);
        Assert.Equal("dir5/a", root.Element(Ns + "StartAfter")?.Value);
        Assert.Equal("true", root.Element(Ns + "IsTruncated")?.Value);
        Assert.False(string.IsNullOrEmpty(root.Element(Ns + "NextContinuationToken")?.Value));
        Assert.Equal("dir5/sub1/", root.Element(Ns + "CommonPrefixes")?.Element(Ns + "Prefix")?.Value);
        Assert.Null(root.Element(Ns + "Contents"));
        Assert.Null(root.Element(Ns + "ContinuationToken"));
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsContentsShapedAsAws_WithoutOwnerUnlessFetchOwner()
    {
        using var plain = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("list-type", "2"), ("prefix", "top-00")]);
        using var owned = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("list-type", "2"), ("prefix", "top-00"), ("fetch-owner", "true")]);

        var contents = (await S3Wire.XmlAsync(plain)).Root!.Element(Ns + "Contents")!;
        Assert.Equal("top-00", contents.Element(Ns + "Key")?.Value);
        Assert.Equal("6", contents.Element(Ns + "Size")?.Value);
        Assert.Matches("^\"[0-9a-f]{32}\"$", contents.Element(Ns + "ETag")?.Value ?? "");
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", contents.Element(Ns + "LastModified")?.Value ?? "");
        Assert.Equal("STANDARD", contents.Element(Ns + "StorageClass")?.Value);
        Assert.Null(contents.Element(Ns + "Owner"));
        var owner = (await S3Wire.XmlAsync(owned)).Root!.Element(Ns + "Contents")!.Element(Ns + "Owner");
        Assert.False(string.IsNullOrEmpty(owner?.Element(Ns + "ID")?.Value));
    }

    [Theory]
    [InlineData(100, 4)]
    [InlineData(40, 8)]
    [InlineData(250, 2)]
    public async Task ListObjectsV2_ReturnsEveryKeyInOrder_WhenOneNodeHoldsNearlyAllKeysOfTheRange(int maxKeys, int expectedPages)
    {
        var bucket = "skewed-" + Guid.NewGuid().ToString("N")[..8];
        await Cluster.S3.PutBucketAsync(bucket, Ct);
        var nodes = Cluster.ApiServices.GetRequiredService<ClusterNodes>();
        var keys = SkewedKeys.MostlyOnTheFirstNode(nodes, bucket, onFirstNode: 300);

        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = Ct }, async (key, ct) =>
            await Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = key }, ct));
        Assert.InRange(BucketLister.PerNodeEstimate(maxKeys + 1, nodes.All.Count), 1, maxKeys); // each node is asked for less than a page

        var listed = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var page = await Cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = maxKeys, ContinuationToken = token }, Ct);
            pages++;
            listed.AddRange(page.S3Objects.Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
            Assert.True(token is null || page.S3Objects.Count == maxKeys, $"page {pages} is truncated with {page.S3Objects.Count} keys");
        }
        while (token is not null);

        Assert.Equal(keys, listed);
        Assert.Equal(expectedPages, pages);
    }

    [Theory]
    [InlineData(2, 1, 2)]
    [InlineData(101, 1, 101)]
    [InlineData(101, 2, 72)]
    [InlineData(1001, 2, 565)]
    [InlineData(1001, 3, 395)]
    [InlineData(11, 64, 3)]
    public void PerNodeEstimate_AsksEachNodeForItsShareAndFourStandardDeviations_NeverMoreThanThePage(int count, int nodes, int expected) =>
        Assert.Equal(expected, BucketLister.PerNodeEstimate(count, nodes));

    [Fact]
    public async Task NodeListingEntries_CarryWhatAListingShows_AndOnlyTheSystemMetadataEntryAskedFor()
    {
        var bucket = "lean-listing-" + Guid.NewGuid().ToString("N")[..8];
        await Cluster.S3.PutBucketAsync(bucket, Ct);
        var put = new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "payload", ContentType = "text/plain", CannedACL = S3CannedACL.PublicRead };
        put.Metadata["color"] = "blue";
        put.Headers.ContentDisposition = "inline";
        put.Headers.CacheControl = "no-cache";
        put.TagSet = [new Tag { Key = "team", Value = "storage" }];
        await Cluster.S3.PutObjectAsync(put, Ct);
        var node = Cluster.ApiServices.GetRequiredService<ClusterNodes>().OwnerOf(bucket, "k");
        var client = Cluster.ApiServices.GetRequiredService<StorageNodeClient>();
        var full = (await client.GetObjectInfoAsync(node, bucket, "k", Ct)).Value!;

        var plain = Assert.Single((await client.ListAsync(node, bucket, null, null, 10, Ct)).Value!.Objects);
        var withAcl = Assert.Single((await client.ListAsync(node, bucket, null, null, 10, Ct, Authorizer.ObjectAclMetadata)).Value!.Objects);

        Assert.Equal("blue", full.UserMetadata["color"]);
        Assert.Single(full.Tags);
        Assert.True(full.SystemMetadata.Count > 1, string.Join(", ", full.SystemMetadata.Keys));
        foreach (var entry in new[] { plain, withAcl })
        {
            Assert.Equal(("k", full.Size, full.ETag, full.LastModified), (entry.Key, entry.Size, entry.ETag, entry.LastModified));
            Assert.Empty(entry.UserMetadata);
            Assert.Empty(entry.Tags);
            Assert.Null(entry.ContentType);
        }

        Assert.Empty(plain.SystemMetadata);
        var acl = Assert.Single(withAcl.SystemMetadata);
        Assert.Equal(KeyValuePair.Create(Authorizer.ObjectAclMetadata, full.SystemMetadata[Authorizer.ObjectAclMetadata]), acl);
    }

    [Fact]
    public async Task ListObjectsV2_IsNotTruncated_WhenPageEndsExactlyAtTheLastKey()
    {
        var (entries, pages) = await ListAllV2Async([("prefix", "top-"), ("max-keys", "25")]);
        using var v1 = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("prefix", "top-"), ("max-keys", "25")]);

        Assert.Equal(25, entries.Count);
        Assert.Equal(1, pages);
        Assert.Equal("false", (await S3Wire.XmlAsync(v1)).Root!.Element(Ns + "IsTruncated")?.Value);
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsNoEntries_WhenMaxKeysIsZero()
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("list-type", "2"), ("max-keys", "0")]);

        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal("0", root.Element(Ns + "KeyCount")?.Value);
        Assert.Empty(root.Elements(Ns + "Contents"));
    }

    [Fact]
    public async Task ListObjectsV2_CapsPageAt1000_WhenMaxKeysIsLarger()
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("list-type", "2"), ("max-keys", "5000")]);

        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(1000, root.Elements(Ns + "Contents").Count());
        Assert.Equal("true", root.Element(Ns + "IsTruncated")?.Value);
    }

    [Fact]
    public async Task ListObjectsV2_UrlEncodesKeysAndPrefixes_WhenEncodingTypeIsUrl()
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket,
            [("list-type", "2"), ("encoding-type", "url"), ("delimiter", "/"), ("prefix", "")]);

        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal("url", root.Element(Ns + "EncodingType")?.Value);
        var keys = root.Elements(Ns + "Contents").Select(c => c.Element(Ns + "Key")!.Value).ToList();
        var prefixes = root.Elements(Ns + "CommonPrefixes").Select(c => c.Element(Ns + "Prefix")!.Value).ToList();
        Assert.All(keys.Concat(prefixes), k => Assert.DoesNotMatch(@"[ \t""'<>&?#\u0080-\uFFFF]", k));
        Assert.Contains("a%2Bb", keys);
        Assert.Contains("a%25b", keys);
        Assert.Contains("%C3%BC-umlaut", keys);
        Assert.Contains("%E6%97%A5%E6%9C%AC/", prefixes);
        var decoded = keys.Select(k => Uri.UnescapeDataString(k.Replace("+", "%20", StringComparison.Ordinal))).Concat(prefixes.Select(Uri.UnescapeDataString));
        Assert.Equal(listing.Expected("", "/").Order(StringComparer.Ordinal), decoded.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsUrlDecodedKeysToSdk_WhenSdkAsksForUrlEncoding()
    {
        var keys = new List<string>();
        var paginator = Cluster.S3.Paginators.ListObjectsV2(new ListObjectsV2Request { BucketName = listing.Bucket, Encoding = EncodingType.Url, MaxKeys = 1000 });
        await foreach (var item in paginator.S3Objects.WithCancellation(Ct))
        {
            keys.Add(item.Key);
        }

        // AWSSDK.S3 4.x hands url-encoded keys to the caller as received; decoding them form-style ('+' is a space, as
        // AWS writes it) must give back every key exactly once, in order.
        Assert.Equal(listing.Keys, keys.Select(WebUtility.UrlDecode));
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsSpecialKeysVerbatim_WhenNoEncodingRequested()
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket,
                [("list-type", "2"), .. token is null ? Array.Empty<(string, string)>() : [("continuation-token", token)]]);
            var root = (await S3Wire.XmlAsync(response)).Root!;
            keys.AddRange(root.Elements(Ns + "Contents").Select(c => c.Element(Ns + "Key")!.Value));
            token = root.Element(Ns + "NextContinuationToken")?.Value;
        }
        while (token is not null);

        Assert.Equal(listing.Keys, keys);
        Assert.All(ListingFixture.SpecialKeys, k => Assert.Contains(k, keys));
    }

    [Theory]
    [MemberData(nameof(SpecialKeyData))]
    public async Task GetObject_ReturnsBodyAndKey_WhenKeyHasSpecialCharacters(string key)
    {
        using var raw = await Cluster.Wire.SendAsync(HttpMethod.Get, $"/{listing.Bucket}/{S3Wire.EncodeKey(key)}");
        using var sdk = await Cluster.S3.GetObjectAsync(listing.Bucket, key, Ct);
        using var reader = new StreamReader(sdk.ResponseStream, Encoding.UTF8);

        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal(key, Encoding.UTF8.GetString(await raw.Content.ReadAsByteArrayAsync(Ct)));
        Assert.Equal(key, await reader.ReadToEndAsync(Ct));
        Assert.Equal(key, sdk.Key);
    }

    public static TheoryData<string> SpecialKeyData => [.. ListingFixture.SpecialKeys];

    [Fact]
    public async Task ListObjectsV1_ReturnsEveryKeyOnce_WhenPaginatingWithLastKeyAsMarker()
    {
        var keys = new List<string>();
        var marker = "";
        while (true)
        {
            using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("max-keys", "777"), ("marker", marker)]);
            var root = (await S3Wire.XmlAsync(response)).Root!;
            Assert.Equal(marker, root.Element(Ns + "Marker")?.Value);
            Assert.Null(root.Element(Ns + "NextMarker")); // only with a delimiter
            var page = root.Elements(Ns + "Contents").ToList();
            Assert.All(page, c => Assert.NotNull(c.Element(Ns + "Owner")));
            keys.AddRange(page.Select(c => c.Element(Ns + "Key")!.Value));
            if (root.Element(Ns + "IsTruncated")?.Value != "true")
            {
                break;
            }

            marker = keys[^1];
        }

        Assert.Equal(listing.Keys, keys);
    }

    [Theory]
    [InlineData("", 2)]
    [InlineData("dir1/", 1)]
    [InlineData("", 1000)]
    public async Task ListObjectsV1_ReturnsEntriesExactlyOnce_WhenPaginatingWithNextMarkerAndDelimiter(string prefix, int maxKeys)
    {
        var entries = new List<string>();
        var marker = "";
        while (true)
        {
            using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket,
                [("prefix", prefix), ("delimiter", "/"), ("max-keys", maxKeys.ToString(CultureInfo.InvariantCulture)), ("marker", marker)]);
            var root = (await S3Wire.XmlAsync(response)).Root!;
            entries.AddRange(Entries(root));
            if (root.Element(Ns + "IsTruncated")?.Value != "true")
            {
                Assert.Null(root.Element(Ns + "NextMarker"));
                break;
            }

            marker = root.Element(Ns + "NextMarker")?.Value ?? throw new Xunit.Sdk.XunitException("NextMarker missing from a truncated V1 listing with a delimiter");
            Assert.Equal(entries[^1], marker);
        }

        Assert.Equal(listing.Expected(prefix, "/"), entries);
    }

    [Fact]
    public async Task ListObjectsV1_ReturnsEveryKeyOnce_WhenSdkPaginates()
    {
        var keys = new List<string>();
        var paginator = Cluster.S3.Paginators.ListObjects(new ListObjectsRequest { BucketName = listing.Bucket, MaxKeys = 900 });
        await foreach (var item in paginator.S3Objects.WithCancellation(Ct))
        {
            keys.Add(item.Key);
        }

        Assert.Equal(listing.Keys, keys);
    }

    [Theory]
    [InlineData("max-keys", "-1")]
    [InlineData("max-keys", "abc")]
    [InlineData("max-keys", "1.5")]
    [InlineData("max-keys", "99999999999")]
    [InlineData("continuation-token", "***not-a-token***")]
    [InlineData("encoding-type", "base64")]
    public async Task ListObjectsV2_ReturnsInvalidArgument_WhenParameterIsInvalid(string name, string value)
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [("list-type", "2"), (name, value)]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Theory]
    [InlineData("max-keys", "-1")]
    [InlineData("max-keys", "ten")]
    [InlineData("encoding-type", "xml")]
    public async Task ListObjectsV1_ReturnsInvalidArgument_WhenParameterIsInvalid(string name, string value)
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, [(name, value)]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsNoSuchBucket_WhenBucketIsMissing()
    {
        using var v2 = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + Cluster.NewBucketName("nolist"), [("list-type", "2")]);
        using var v1 = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + Cluster.NewBucketName("nolist"));

        await S3Assert.ErrorAsync(v2, HttpStatusCode.NotFound, "NoSuchBucket");
        await S3Assert.ErrorAsync(v1, HttpStatusCode.NotFound, "NoSuchBucket");
    }

    [Fact]
    public async Task ListObjectsV2_ReturnsEmptyListing_WhenBucketIsEmpty()
    {
        var bucket = await Cluster.CreateBucketAsync("emptylist");

        var response = await Cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/" }, Ct);

        Assert.Empty(response.S3Objects ?? []);
        Assert.Empty(response.CommonPrefixes ?? []);
        Assert.False(response.IsTruncated ?? false);
    }

    private static IEnumerable<string> Entries(XElement root) =>
        root.Elements()
            .Where(e => e.Name == Ns + "Contents" || e.Name == Ns + "CommonPrefixes")
            .Select(e => e.Name == Ns + "Contents" ? e.Element(Ns + "Key")!.Value : e.Element(Ns + "Prefix")!.Value)
            .Order(Comparer<string>.Create(ListingFixture.Utf8Order));

    private async Task<(List<string> Entries, int Pages)> ListAllV2Async(IEnumerable<(string Name, string Value)> parameters, int maxPages = 100)
    {
        var entries = new List<string>();
        string? token = null;
        var pages = 0;
        while (pages < maxPages)
        {
            var query = new List<(string, string)> { ("list-type", "2") };
            query.AddRange(parameters);
            if (token is not null)
            {
                query.Add(("continuation-token", token));
            }

            using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + listing.Bucket, query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var root = (await S3Wire.XmlAsync(response)).Root!;
            pages++;
            var page = Entries(root).ToList();
            Assert.Equal(page.Count.ToString(CultureInfo.InvariantCulture), root.Element(Ns + "KeyCount")?.Value);
            Assert.Equal(token, root.Element(Ns + "ContinuationToken")?.Value);
            entries.AddRange(page);
            var truncated = root.Element(Ns + "IsTruncated")?.Value == "true";
            token = root.Element(Ns + "NextContinuationToken")?.Value;
            Assert.Equal(truncated, token is not null);
            if (!truncated)
            {
                break;
            }
        }

        return (entries, pages);
    }
}
