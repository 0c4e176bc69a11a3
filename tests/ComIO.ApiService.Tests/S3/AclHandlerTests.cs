using System.Xml.Linq;
using Amazon.S3.Model;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using ComIO.ApiService.Tests.S3.Harness;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// GetBucketAcl and GetObjectAcl handlers against the live nodes, called through the API service's container: the
/// router does not send <c>?acl</c> to them yet (it answers 501), so these tests drive the handlers directly.
/// </summary>
public sealed class AclHandlerTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static readonly XNamespace Ns = S3Wire.Ns;
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetBucketAcl_ReturnsOwnerWithFullControl_WhenBucketExists()
    {
        var bucket = await cluster.CreateBucketAsync("acl");
        var (request, body) = NewRequest(bucket, null);

        await cluster.ApiServices.GetRequiredService<BucketHandlers>().GetBucketAclAsync(request);

        AssertPrivateAcl(body);
    }

    [Fact]
    public async Task GetBucketAcl_ThrowsNoSuchBucket_WhenBucketIsMissing()
    {
        var (request, _) = NewRequest(cluster.NewBucketName("noacl"), null);

        var error = await Assert.ThrowsAsync<S3Exception>(() => cluster.ApiServices.GetRequiredService<BucketHandlers>().GetBucketAclAsync(request));

        Assert.Equal(S3ErrorCode.NoSuchBucket, error.Error);
    }

    [Fact]
    public async Task GetObjectAcl_ReturnsOwnerWithFullControl_WhenObjectExists()
    {
        var bucket = await cluster.CreateBucketAsync("oacl");
        await cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);
        var (request, body) = NewRequest(bucket, "k");

        await cluster.ApiServices.GetRequiredService<ObjectHandlers>().GetObjectAclAsync(request);

        AssertPrivateAcl(body);
    }

    [Fact]
    public async Task GetObjectAcl_ThrowsNoSuchKey_WhenObjectIsMissing()
    {
        var bucket = await cluster.CreateBucketAsync("oaclmiss");
        var (request, _) = NewRequest(bucket, "missing");

        var error = await Assert.ThrowsAsync<S3Exception>(() => cluster.ApiServices.GetRequiredService<ObjectHandlers>().GetObjectAclAsync(request));

        Assert.Equal(S3ErrorCode.NoSuchKey, error.Error);
    }

    private static (S3Request Request, MemoryStream Body) NewRequest(string bucket, string? key)
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;
        var auth = new AuthenticationResult { AccessKeyId = ComIOCluster.AccessKey, Payload = PayloadMode.Unsigned };
        return (new S3Request(context, "TESTREQUEST00000", new S3Target(bucket, key), auth), body);
    }

    private static void AssertPrivateAcl(MemoryStream body)
    {
        var root = XDocument.Parse(System.Text.Encoding.UTF8.GetString(body.ToArray())).Root!;
        Assert.Equal(Ns + "AccessControlPolicy", root.Name);
        var ownerId = root.Element(Ns + "Owner")?.Element(Ns + "ID")?.Value;
        Assert.False(string.IsNullOrEmpty(ownerId));
        var grant = Assert.Single(root.Element(Ns + "AccessControlList")!.Elements(Ns + "Grant"));
        var grantee = grant.Element(Ns + "Grantee")!;
        Assert.Equal("CanonicalUser", grantee.Attribute(Xsi + "type")?.Value);
        Assert.Equal(ownerId, grantee.Element(Ns + "ID")?.Value);
        Assert.Equal("FULL_CONTROL", grant.Element(Ns + "Permission")?.Value);
    }
}
