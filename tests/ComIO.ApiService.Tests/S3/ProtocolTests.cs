using System.Net;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>What every response shares (request ids, error documents) and the requests refused before any handler runs.</summary>
public sealed class ProtocolTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnyRequest_CarriesUniqueRequestIds_OnSuccessAndError()
    {
        var bucket = await cluster.CreateBucketAsync("ids");
        using var ok = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + bucket);
        using var okAgain = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + bucket);
        using var error = await cluster.Wire.SendAsync(HttpMethod.Get, $"/{bucket}/missing");

        var ids = new[] { S3Assert.RequestId(ok), S3Assert.RequestId(okAgain), S3Assert.RequestId(error) };

        Assert.Equal(3, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches("^[0-9A-F]{16}$", id));
        Assert.NotNull(S3Wire.Header(error, "x-amz-id-2"));
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/{bucket}")]
    [InlineData("PUT", "/{bucket}/key")]
    [InlineData("HEAD", "/{bucket}/key")]
    [InlineData("PUT", "/{bucket}?policy")]
    public async Task AnyRequest_ReturnsAccessDenied_WhenAnonymousAndNothingGrantsAccess(string method, string path)
    {
        var bucket = await cluster.CreateBucketAsync("anon");
        using var response = await cluster.Wire.SendAsync(new HttpMethod(method), path.Replace("{bucket}", bucket, StringComparison.Ordinal), body: method == "PUT" ? [1] : null, anonymous: true);

        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task AnyRequest_ReturnsSignatureDoesNotMatch_WhenSignedWithWrongSecret()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/", signingSecret: "not-the-secret");

        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task AnyRequest_ReturnsSignatureDoesNotMatchToSdk_WhenSdkUsesWrongSecret()
    {
        using var client = cluster.NewClient(secretKey: "wrong-secret");

        await S3Assert.SdkErrorAsync(() => client.ListBucketsAsync(Ct), HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task AnyRequest_ReturnsInvalidAccessKeyId_WhenAccessKeyIsUnknown()
    {
        using var wire = new S3Wire(cluster.Endpoint, "AKIDUNKNOWNKEY000000", ComIOCluster.SecretKey, ComIOCluster.Region);

        using var response = await wire.SendAsync(HttpMethod.Get, "/");

        await S3Assert.ErrorAsync(response, HttpStatusCode.Forbidden, "InvalidAccessKeyId");
    }

    [Fact]
    public async Task PutObject_ReturnsSignatureDoesNotMatchAndStoresNothing_WhenSignedHeaderIsChangedAfterSigning()
    {
        var bucket = await cluster.CreateBucketAsync("tamper");
        var headers = cluster.Wire.Sign("PUT", $"/{bucket}/k", [], [("x-amz-meta-a", "signed")], S3Wire.UnsignedPayload, ComIOCluster.SecretKey).ToList();
        headers.Add(("x-amz-meta-a", "tampered"));

        var (status, _) = await cluster.Wire.SendRawAsync("PUT", $"/{bucket}/k", [.. headers, ("Content-Length", "1")], [1], S3Wire.UnsignedPayload, sign: false);

        Assert.Equal(403, status);
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/k");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("GET", "tagging")]
    [InlineData("PUT", "tagging")]
    [InlineData("GET", "logging")]
    [InlineData("GET", "website")]
    [InlineData("GET", "notification")]
    public async Task BucketSubresource_ReturnsNotImplemented_WhenOperationIsUnsupported(string method, string subresource)
    {
        var bucket = await cluster.CreateBucketAsync("ni");

        using var response = await cluster.Wire.SendAsync(new HttpMethod(method), "/" + bucket, [(subresource, "")], body: method == "PUT" ? "<x/>"u8.ToArray() : null);

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotImplemented, "NotImplemented");
    }

    [Theory]
    [InlineData("GET", "attributes")]
    [InlineData("GET", "torrent")]
    [InlineData("POST", "restore")]
    public async Task ObjectSubresource_ReturnsNotImplemented_WhenOperationIsUnsupported(string method, string subresource)
    {
        var bucket = await cluster.CreateBucketAsync("nio");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);

        using var response = await cluster.Wire.SendAsync(new HttpMethod(method), $"/{bucket}/k", [(subresource, "")], body: method != "GET" ? "<x/>"u8.ToArray() : null);

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotImplemented, "NotImplemented");
    }

    [Theory]
    [InlineData("x-amz-website-redirect-location", "/elsewhere")]
    [InlineData("x-amz-server-side-encryption", "aws:kms:dsse")]
    public async Task PutObject_ReturnsNotImplementedAndStoresNothing_WhenHeaderNeedsUnsupportedFeature(string header, string value)
    {
        var bucket = await cluster.CreateBucketAsync("nih");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: [1], headers: [(header, value)]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.NotImplemented, "NotImplemented");
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/k");
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("x-amz-bucket-object-lock-enabled", "yes")]
    public async Task CreateBucket_ReturnsInvalidArgumentAndCreatesNothing_WhenHeaderValueIsInvalid(string header, string value)
    {
        var bucket = cluster.NewBucketName("nib");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + bucket, headers: [(header, value)]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidArgument");
        using var head = await cluster.Wire.SendAsync(HttpMethod.Head, "/" + bucket);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task CreateBucket_Succeeds_WhenAclIsPrivate()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, "/" + cluster.NewBucketName("priv"), headers: [("x-amz-acl", "private")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PutObject_AcceptsPrivateAclAndStandardStorageClass_WhenGiven()
    {
        var bucket = await cluster.CreateBucketAsync("std");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: [1], headers: [("x-amz-acl", "private"), ("x-amz-storage-class", "STANDARD")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PutObject_ReturnsInvalidStorageClass_WhenStorageClassIsUnknown()
    {
        var bucket = await cluster.CreateBucketAsync("sc");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Put, $"/{bucket}/k", body: [1], headers: [("x-amz-storage-class", "NOT-A-CLASS")]);

        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidStorageClass");
    }

    [Fact]
    public async Task Service_ReturnsMethodNotAllowed_WhenMethodIsNotGet()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Delete, "/");

        await S3Assert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "MethodNotAllowed");
    }

    [Fact]
    public async Task GetBucketVersioning_ReturnsEmptyConfiguration_WhenNeverEnabled()
    {
        var bucket = await cluster.CreateBucketAsync("ver");

        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, "/" + bucket, [("versioning", "")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = (await S3Wire.XmlAsync(response)).Root!;
        Assert.Equal(S3Wire.Ns + "VersioningConfiguration", root.Name);
        Assert.Empty(root.Elements());
    }
}
