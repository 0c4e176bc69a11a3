using System.Net;
using System.Text;
using System.Text.Json;
using ComIO.ApiService.Admin;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

/// <summary>
/// The admin API (<c>/_comio/admin/v1</c>) over <see cref="S3Wire"/>: every call SigV4-signed with the wire's key.
/// The typed helpers assert success; <see cref="SendAsync"/> returns the raw response for tests of refusals.
/// </summary>
public sealed class AdminApiClient(S3Wire wire)
{
    public const string Prefix = "/_comio/admin/v1";

    /// <summary>A user name unique within the test run (IAM rules).</summary>
    public static string NewUserName(string hint = "u") => $"{hint}-{Guid.NewGuid():N}"[..Math.Min(40, hint.Length + 17)];

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null) =>
        wire.SendAsync(method, Prefix + path, body: json is null ? null : Encoding.UTF8.GetBytes(json),
            headers: json is null ? null : [("Content-Type", "application/json")]);

    public async Task<UserView> CreateUserAsync(string name, bool administrator = false)
    {
        using var response = await SendAsync(HttpMethod.Post, "/users", JsonSerializer.Serialize(new CreateUserRequest(name, administrator), AdminJsonContext.Default.CreateUserRequest));
        return await ReadAsync(response, HttpStatusCode.Created, AdminJsonContext.Default.UserView);
    }

    public async Task<NewAccessKeyView> CreateKeyAsync(string userName)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/users/{userName}/keys");
        return await ReadAsync(response, HttpStatusCode.Created, AdminJsonContext.Default.NewAccessKeyView);
    }

    public async Task PutPolicyAsync(string userName, string policyName, string policyJson)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/users/{userName}/policies/{policyName}", policyJson);
        await ExpectAsync(response, HttpStatusCode.NoContent);
    }

    public async Task SetKeyStatusAsync(string accessKeyId, IdentityStatus status)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/keys/{accessKeyId}/status", JsonSerializer.Serialize(new StatusRequest(status), AdminJsonContext.Default.StatusRequest));
        await ExpectAsync(response, HttpStatusCode.NoContent);
    }

    public async Task SetUserStatusAsync(string userName, IdentityStatus status)
    {
        using var response = await SendAsync(HttpMethod.Put, $"/users/{userName}/status", JsonSerializer.Serialize(new StatusRequest(status), AdminJsonContext.Default.StatusRequest));
        await ExpectAsync(response, HttpStatusCode.NoContent);
    }

    public async Task<NewAccessKeyView> RotateKeyAsync(string accessKeyId)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/keys/{accessKeyId}/rotate");
        return await ReadAsync(response, HttpStatusCode.Created, AdminJsonContext.Default.NewAccessKeyView);
    }

    public async Task DeleteKeyAsync(string accessKeyId)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/keys/{accessKeyId}");
        await ExpectAsync(response, HttpStatusCode.NoContent);
    }

    public async Task DeleteUserAsync(string userName)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/users/{userName}");
        await ExpectAsync(response, HttpStatusCode.NoContent);
    }

    public async Task<List<UserView>> ListUsersAsync()
    {
        using var response = await SendAsync(HttpMethod.Get, "/users");
        return await ReadAsync(response, HttpStatusCode.OK, AdminJsonContext.Default.ListUserView);
    }

    public async Task<List<AccessKeyView>> ListKeysAsync(string userName)
    {
        using var response = await SendAsync(HttpMethod.Get, $"/users/{userName}/keys");
        return await ReadAsync(response, HttpStatusCode.OK, AdminJsonContext.Default.ListAccessKeyView);
    }

    /// <summary>Creates a user with one access key and, when given, one identity policy.</summary>
    public async Task<TestUser> CreateUserWithKeyAsync(string hint = "u", string? policyJson = null, bool administrator = false)
    {
        var user = await CreateUserAsync(NewUserName(hint), administrator);
        var key = await CreateKeyAsync(user.Name);
        if (policyJson is not null)
        {
            await PutPolicyAsync(user.Name, "test", policyJson);
        }

        return new TestUser(user.Name, user.CanonicalId, key.AccessKeyId, key.SecretAccessKey);
    }

    /// <summary>Asserts an admin API error: status and the JSON <see cref="AdminError"/> code.</summary>
    public static async Task<AdminError> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var error = await ReadAsync(response, status, AdminJsonContext.Default.AdminError);
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrEmpty(error.Message));
        return error;
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode status, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonSerializer.Deserialize(body, type)!;
    }
}
