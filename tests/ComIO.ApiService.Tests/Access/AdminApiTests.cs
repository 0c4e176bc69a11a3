using System.Net;
using System.Text.Json;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>The admin API: user and key management, who may call it, policy validation, and its OpenAPI/Scalar pages.</summary>
public sealed class AdminApiTests(ComIOCluster cluster) : IClassFixture<ComIOCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private AdminApiClient Admin => new(cluster.Wire);

    [Fact]
    public async Task Users_CreateListShowDelete_RoundTrip()
    {
        var name = AdminApiClient.NewUserName("crud");
        var created = await Admin.CreateUserAsync(name);
        Assert.Equal(name, created.Name);
        Assert.Matches("^[0-9a-f]{64}$", created.CanonicalId);
        Assert.EndsWith(":user/" + name, created.Arn, StringComparison.Ordinal);
        Assert.False(created.Administrator);

        Assert.Contains(await Admin.ListUsersAsync(), u => u.Name == name && u.CanonicalId == created.CanonicalId);
        using (var show = await Admin.SendAsync(HttpMethod.Get, $"/users/{name}"))
        {
            Assert.Equal(HttpStatusCode.OK, show.StatusCode);
            using var json = JsonDocument.Parse(await show.Content.ReadAsStringAsync(Ct));
            Assert.Equal(created.CanonicalId, json.RootElement.GetProperty("canonicalId").GetString());
        }

        using (var duplicate = await Admin.SendAsync(HttpMethod.Post, "/users", $$"""{"name":"{{name}}"}"""))
        {
            await AdminApiClient.ErrorAsync(duplicate, HttpStatusCode.Conflict, "EntityAlreadyExists");
        }

        await Admin.DeleteUserAsync(name);
        Assert.DoesNotContain(await Admin.ListUsersAsync(), u => u.Name == name);
        using var gone = await Admin.SendAsync(HttpMethod.Get, $"/users/{name}");
        await AdminApiClient.ErrorAsync(gone, HttpStatusCode.NotFound, "NoSuchEntity");
    }

    [Fact]
    public async Task CreateAccessKey_ReturnsSecretOnce_ListNeverDoes()
    {
        var user = await Admin.CreateUserAsync(AdminApiClient.NewUserName("keys"));
        await Admin.PutPolicyAsync(user.Name, "list", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:ListAllMyBuckets"], ["*"])));
        var key = await Admin.CreateKeyAsync(user.Name);
        Assert.Matches("^CK[A-Z2-7]{18}$", key.AccessKeyId);
        Assert.Equal(40, key.SecretAccessKey.Length);

        using var list = await Admin.SendAsync(HttpMethod.Get, $"/users/{user.Name}/keys");
        var body = await list.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains(key.AccessKeyId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(key.SecretAccessKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body, StringComparison.OrdinalIgnoreCase);

        using var show = await Admin.SendAsync(HttpMethod.Get, $"/users/{user.Name}");
        Assert.DoesNotContain(key.SecretAccessKey, await show.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The key works at once.
        using var s3 = cluster.NewClient(key.AccessKeyId, key.SecretAccessKey);
        await s3.ListBucketsAsync(Ct);
    }

    [Fact]
    public async Task AdminApi_RefusesWithAccessDenied_WhenCallerIsNotAdministrator()
    {
        var user = await Admin.CreateUserWithKeyAsync("plain", PolicyJson.Document(PolicyJson.Statement("Allow", ["s3:*"], ["*"])));
        using var wire = new S3Wire(cluster.Endpoint, user.AccessKeyId, user.SecretKey, ComIOCluster.Region);
        using var list = await new AdminApiClient(wire).SendAsync(HttpMethod.Get, "/users");
        await AdminApiClient.ErrorAsync(list, HttpStatusCode.Forbidden, "AccessDenied");
        using var create = await new AdminApiClient(wire).SendAsync(HttpMethod.Post, "/users", """{"name":"sneaky"}""");
        await AdminApiClient.ErrorAsync(create, HttpStatusCode.Forbidden, "AccessDenied");
        Assert.DoesNotContain(await Admin.ListUsersAsync(), u => u.Name == "sneaky");
    }

    [Fact]
    public async Task AdminApi_RefusesWithAccessDenied_WhenAnonymous()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, AdminApiClient.Prefix + "/users", anonymous: true);
        await AdminApiClient.ErrorAsync(response, HttpStatusCode.Forbidden, "AccessDenied");
    }

    [Fact]
    public async Task AdminApi_RefusesWithSignatureDoesNotMatch_WhenSignedWithWrongSecret()
    {
        using var response = await cluster.Wire.SendAsync(HttpMethod.Get, AdminApiClient.Prefix + "/users", signingSecret: "not-the-admin-secret");
        await AdminApiClient.ErrorAsync(response, HttpStatusCode.Forbidden, "SignatureDoesNotMatch");
    }

    [Fact]
    public async Task AdminApi_RefusesWithXAmzContentSha256Mismatch_WhenBodyChangedAfterSigning()
    {
        var name = AdminApiClient.NewUserName("tamper");
        var body = System.Text.Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","administrator":true}""");
        var signedFor = System.Text.Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","administrator":false}""");
        using var response = await cluster.Wire.SendAsync(HttpMethod.Post, AdminApiClient.Prefix + "/users", body: body,
            headers: [("Content-Type", "application/json")], payloadHash: S3Wire.Sha256Hex(signedFor));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("XAmzContentSHA256Mismatch", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(await Admin.ListUsersAsync(), u => u.Name == name);
    }

    [Fact]
    public async Task AdminApi_Allows_WhenCallerIsAdministratorUser()
    {
        var operatorUser = await Admin.CreateUserWithKeyAsync("op", administrator: true);
        using var wire = new S3Wire(cluster.Endpoint, operatorUser.AccessKeyId, operatorUser.SecretKey, ComIOCluster.Region);
        var asOperator = new AdminApiClient(wire);
        var created = await asOperator.CreateUserAsync(AdminApiClient.NewUserName("byop"));
        Assert.Contains(await asOperator.ListUsersAsync(), u => u.Name == created.Name);
        await asOperator.DeleteUserAsync(created.Name);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:NoSuchAction","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:GetObject","Resource":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}""")]
    public async Task PutUserPolicy_ReturnsMalformedPolicy_WhenDocumentIsInvalid(string document)
    {
        var user = await Admin.CreateUserAsync(AdminApiClient.NewUserName("pol"));
        using var response = await Admin.SendAsync(HttpMethod.Put, $"/users/{user.Name}/policies/p1", document);
        await AdminApiClient.ErrorAsync(response, HttpStatusCode.BadRequest, "MalformedPolicy");
        using var policies = await Admin.SendAsync(HttpMethod.Get, $"/users/{user.Name}/policies");
        Assert.Equal("{}", (await policies.Content.ReadAsStringAsync(Ct)).Trim());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesAdminPaths()
    {
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using var response = await http.GetAsync("/_comio/openapi/admin.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.StartsWith("3.", json.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = json.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/users", "/users/{name}", "/users/{name}/keys", "/users/{name}/policies/{policyName}", "/keys/{accessKeyId}/status", "/keys/{accessKeyId}/rotate", "/cluster", "/replication" })
        {
            Assert.True(paths.TryGetProperty(AdminApiClient.Prefix + path, out _), $"OpenAPI document lacks {path}");
        }

        Assert.Contains("CreateAccessKey", json.RootElement.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScalarPage_ServesHtmlPointingAtAdminDocument()
    {
        using var http = new HttpClient { BaseAddress = cluster.Endpoint };
        using var response = await http.GetAsync("/_comio/scalar/admin", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(html.Contains("ComIO admin API", StringComparison.Ordinal), html);
        Assert.True(html.Contains("_comio/openapi/admin.json", StringComparison.Ordinal), html);
    }

    [Fact]
    public async Task ClusterStatus_ListsEveryNode()
    {
        using var response = await Admin.SendAsync(HttpMethod.Get, "/cluster");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var nodes = json.RootElement.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()!).ToList();
        Assert.Equal(cluster.NodeIds, nodes);
    }

    [Fact]
    public async Task CreateUser_ReturnsInvalidRequest_WhenBodyIsNotJson()
    {
        using var response = await Admin.SendAsync(HttpMethod.Post, "/users", "name=x");
        await AdminApiClient.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidRequest");
    }
}
