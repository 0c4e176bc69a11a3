using ComIO.ApiService.Audit;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Admin;

/// <summary>
/// The admin API under <see cref="Prefix"/>: users, access keys, identity policies, cluster and replication status.
/// Every route requires SigV4 credentials of an administrator (<see cref="AdminAuthenticationMiddleware"/>); every change
/// is audited. The first path segment starts with an underscore, which no bucket name can, so path-style S3 requests
/// never collide with it.
/// </summary>
public static class AdminRoutes
{
    public const string Prefix = "/_comio/admin/v1";
    public const string DocumentName = "admin";

    /// <summary>Authenticates every request under <see cref="Prefix"/> before routing binds its parameters.</summary>
    public static void UseAdminAuthentication(this IApplicationBuilder app) =>
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Prefix), branch => branch.UseMiddleware<AdminAuthenticationMiddleware>());

    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup(Prefix)
            .WithGroupName(DocumentName)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapGet("/users", ListUsersAsync).WithName("ListUsers").WithSummary("Lists every user.").WithTags("Users");
        admin.MapPost("/users", CreateUserAsync).WithName("CreateUser").WithSummary("Creates a user (no keys, no policies).").Accepts<CreateUserRequest>("application/json").WithTags("Users");
        admin.MapGet("/users/{name}", GetUserAsync).WithName("GetUser").WithSummary("Shows one user.").WithTags("Users");
        admin.MapDelete("/users/{name}", DeleteUserAsync).WithName("DeleteUser").WithSummary("Deletes a user and all its access keys.").WithTags("Users");
        admin.MapPut("/users/{name}/status", SetUserStatusAsync).WithName("SetUserStatus").WithSummary("Enables or disables a user; a disabled user's keys stop working at once.").Accepts<StatusRequest>("application/json").WithTags("Users");
        admin.MapGet("/users/{name}/policies", GetUserPoliciesAsync).WithName("GetUserPolicies").WithSummary("The user's identity policies by name.").WithTags("Policies");
        admin.MapPut("/users/{name}/policies/{policyName}", PutUserPolicyAsync).WithName("PutUserPolicy")
            .WithSummary("Attaches (or replaces) an IAM JSON identity policy; the body is the policy document.")
            .Accepts<string>("application/json").WithTags("Policies");
        admin.MapDelete("/users/{name}/policies/{policyName}", DeleteUserPolicyAsync).WithName("DeleteUserPolicy").WithSummary("Detaches an identity policy.").WithTags("Policies");
        admin.MapGet("/users/{name}/keys", ListKeysAsync).WithName("ListAccessKeys").WithSummary("The user's access keys (never their secrets).").WithTags("Access keys");
        admin.MapPost("/users/{name}/keys", CreateKeyAsync).WithName("CreateAccessKey").WithSummary("Issues a new access key; the secret is returned only in this response.").WithTags("Access keys");
        admin.MapPut("/keys/{accessKeyId}/status", SetKeyStatusAsync).WithName("SetAccessKeyStatus").WithSummary("Enables or disables an access key, effective with the next request.").Accepts<StatusRequest>("application/json").WithTags("Access keys");
        admin.MapPost("/keys/{accessKeyId}/rotate", RotateKeyAsync).WithName("RotateAccessKey").WithSummary("Issues a new key for the same user and disables the old one.").WithTags("Access keys");
        admin.MapDelete("/keys/{accessKeyId}", DeleteKeyAsync).WithName("DeleteAccessKey").WithSummary("Deletes an access key.").WithTags("Access keys");
        admin.MapPut("/sync/{documentNamespace}/{id}", StoreFromPeerAsync).WithName("StoreIdentityFromPeerSite")
            .WithSummary("Stores a user or access-key document sent by another site (site-to-site identity sync).")
            .Accepts<string>("application/json").WithTags("Sites");
        admin.MapDelete("/sync/{documentNamespace}/{id}", RemoveFromPeerAsync).WithName("RemoveIdentityFromPeerSite")
            .WithSummary("Removes a user or access-key document, as another site did (site-to-site identity sync).").WithTags("Sites");
        Encryption.Kms.KmsAdminRoutes.MapKmsAdminApi(admin);
        admin.MapGet("/cluster", ClusterStatus.GetAsync).WithName("GetClusterStatus").WithSummary("This site's storage nodes: reachability, health and capacity.").WithTags("Status");
        admin.MapGet("/replication", ReplicationStatus.GetAsync).WithName("GetReplicationStatus").WithSummary("The site's replication stream: length, consumer groups, pending entries, dead letters.").WithTags("Status");
        admin.MapPost("/replication/resync", ResyncAsync).WithName("ResyncReplication")
            .WithSummary("Queues a bucket's existing versions for replication again under its current rules (written before replication was enabled, or FAILED).")
            .Accepts<ResyncRequestBody>("application/json").WithTags("Replication");
    }

    private static async Task<IResult> ListUsersAsync(IdentityStore store, CredentialResolver resolver, CancellationToken ct) =>
        Results.Json((await store.ListUsersAsync(ct)).Select(u => View(u, resolver)).ToList(), AdminJsonContext.Default.ListUserView);

    private static async Task<IResult> CreateUserAsync(HttpContext context, IdentityStore store, CredentialResolver resolver, AuditLog audit, CancellationToken ct)
    {
        if (await ReadJsonAsync(context, AdminJsonContext.Default.CreateUserRequest, ct) is not { } body)
        {
            return MalformedBody();
        }

        if (!IdentityStore.IsValidUserName(body.Name ?? ""))
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCode.InvalidArgument, "User names are 1-64 characters: letters, digits and +=,.@_-");
        }

        var user = await store.CreateUserAsync(body.Name!, body.Administrator, ct);
        if (user is null)
        {
            return Conflict($"User '{body.Name}' already exists.");
        }

        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "CreateUser", user.Name);
        return Results.Json(View(user, resolver), AdminJsonContext.Default.UserView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetUserAsync(string name, IdentityStore store, CredentialResolver resolver, CancellationToken ct) =>
        await store.GetUserAsync(name, ct) is { } user ? Results.Json(View(user, resolver), AdminJsonContext.Default.UserView) : NoSuchUser(name);

    private static async Task<IResult> DeleteUserAsync(string name, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await store.GetUserAsync(name, ct) is null)
        {
            return NoSuchUser(name);
        }

        await store.DeleteUserAsync(name, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "DeleteUser", name);
        return Results.NoContent();
    }

    private static async Task<IResult> SetUserStatusAsync(string name, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await ReadJsonAsync(context, AdminJsonContext.Default.StatusRequest, ct) is not { } body)
        {
            return MalformedBody();
        }

        if (await store.GetUserAsync(name, ct) is not { } user)
        {
            return NoSuchUser(name);
        }

        await store.SaveUserAsync(user with { Status = body.Status }, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), $"SetUserStatus {body.Status}", name);
        return Results.NoContent();
    }

    private static async Task<IResult> GetUserPoliciesAsync(string name, IdentityStore store, CancellationToken ct) =>
        await store.GetUserAsync(name, ct) is { } user ? Results.Json(user.Policies, AdminJsonContext.Default.DictionaryStringString) : NoSuchUser(name);

    private static async Task<IResult> PutUserPolicyAsync(string name, string policyName, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (!IdentityStore.IsValidUserName(policyName))
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCode.InvalidArgument, "Policy names are 1-64 characters: letters, digits and +=,.@_-");
        }

        if (await store.GetUserAsync(name, ct) is not { } user)
        {
            return NoSuchUser(name);
        }

        using var reader = new StreamReader(context.Request.Body);
        var document = await reader.ReadToEndAsync(ct);
        if (IdentityPolicyValidator.Problem(document) is { } problem)
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCodes.MalformedPolicy, problem);
        }

        var policies = new Dictionary<string, string>(user.Policies, StringComparer.Ordinal) { [policyName] = document };
        await store.SaveUserAsync(user with { Policies = policies }, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), $"PutUserPolicy {policyName}", name);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteUserPolicyAsync(string name, string policyName, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await store.GetUserAsync(name, ct) is not { } user)
        {
            return NoSuchUser(name);
        }

        if (!user.Policies.ContainsKey(policyName))
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCodes.NoSuchEntity, $"User '{name}' has no policy '{policyName}'.");
        }

        var policies = new Dictionary<string, string>(user.Policies, StringComparer.Ordinal);
        policies.Remove(policyName);
        await store.SaveUserAsync(user with { Policies = policies }, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), $"DeleteUserPolicy {policyName}", name);
        return Results.NoContent();
    }

    private static async Task<IResult> ListKeysAsync(string name, IdentityStore store, CancellationToken ct)
    {
        if (await store.GetUserAsync(name, ct) is null)
        {
            return NoSuchUser(name);
        }

        var keys = await store.ListAccessKeysAsync(name, ct);
        return Results.Json(keys.Select(View).ToList(), AdminJsonContext.Default.ListAccessKeyView);
    }

    private static async Task<IResult> CreateKeyAsync(string name, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await store.GetUserAsync(name, ct) is null)
        {
            return NoSuchUser(name);
        }

        var (key, secret) = await store.CreateAccessKeyAsync(name, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "CreateAccessKey " + key.AccessKeyId, name);
        return Results.Json(new NewAccessKeyView(key.AccessKeyId, secret, key.UserName, key.Status, key.CreatedAt), AdminJsonContext.Default.NewAccessKeyView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> SetKeyStatusAsync(string accessKeyId, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await ReadJsonAsync(context, AdminJsonContext.Default.StatusRequest, ct) is not { } body)
        {
            return MalformedBody();
        }

        if (await store.GetAccessKeyAsync(accessKeyId, ct) is not { } key)
        {
            return NoSuchKey(accessKeyId);
        }

        await store.SaveAccessKeyAsync(key with { Status = body.Status }, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), $"SetAccessKeyStatus {body.Status}", accessKeyId);
        return Results.NoContent();
    }

    private static async Task<IResult> RotateKeyAsync(string accessKeyId, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await store.GetAccessKeyAsync(accessKeyId, ct) is not { } old)
        {
            return NoSuchKey(accessKeyId);
        }

        var (key, secret) = await store.CreateAccessKeyAsync(old.UserName, ct);
        await store.SaveAccessKeyAsync(old with { Status = IdentityStatus.Inactive }, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), $"RotateAccessKey {accessKeyId} -> {key.AccessKeyId}", old.UserName);
        return Results.Json(new NewAccessKeyView(key.AccessKeyId, secret, key.UserName, key.Status, key.CreatedAt), AdminJsonContext.Default.NewAccessKeyView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteKeyAsync(string accessKeyId, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (await store.GetAccessKeyAsync(accessKeyId, ct) is null)
        {
            return NoSuchKey(accessKeyId);
        }

        await store.DeleteAccessKeyAsync(accessKeyId, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "DeleteAccessKey", accessKeyId);
        return Results.NoContent();
    }

    /// <summary>
    /// The JSON body, read from the stream <see cref="AdminAuthenticationMiddleware"/> verified against the signature (never
    /// bound by the framework, which would read the raw body before the filter authenticates it); null when malformed.
    /// </summary>
    private static async Task<T?> ReadJsonAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
        where T : class
    {
        try
        {
            return await System.Text.Json.JsonSerializer.DeserializeAsync(context.Request.Body, type, ct);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async Task<IResult> ResyncAsync(HttpContext context, Replication.ReplicationResync resync, AuditLog audit, CancellationToken ct)
    {
        if (await ReadJsonAsync(context, AdminJsonContext.Default.ResyncRequestBody, ct) is not { Bucket: { Length: > 0 } bucket } body)
        {
            return MalformedBody();
        }

        var view = await resync.RunAsync(bucket, body.IncludeCompleted, ct);
        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "ResyncReplication", bucket);
        return Results.Json(view, AdminJsonContext.Default.ResyncView);
    }

    private static IResult MalformedBody() => AdminAuthenticationMiddleware.Error(S3ErrorCode.InvalidRequest, "The request body is not the expected JSON document.");

    private static async Task<IResult> StoreFromPeerAsync(string documentNamespace, string id, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        try
        {
            if (!await store.StoreFromPeerAsync(documentNamespace, id, text, ct))
            {
                return AdminAuthenticationMiddleware.Error(S3ErrorCode.InvalidArgument, $"'{documentNamespace}/{id}' is not a user or access-key document.");
            }
        }
        catch (System.Text.Json.JsonException)
        {
            return MalformedBody();
        }

        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "StoreFromPeerSite " + documentNamespace, id);
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveFromPeerAsync(string documentNamespace, string id, HttpContext context, IdentityStore store, AuditLog audit, CancellationToken ct)
    {
        if (!await store.StoreFromPeerAsync(documentNamespace, id, null, ct))
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCode.InvalidArgument, $"'{documentNamespace}' is not an identity namespace.");
        }

        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "RemoveFromPeerSite " + documentNamespace, id);
        return Results.NoContent();
    }

    private static UserView View(UserDocument user, CredentialResolver resolver) =>
        new(user.Name, user.CanonicalId, resolver.ToPrincipal(user, "").Arn, user.Status, user.Administrator, user.CreatedAt, [.. user.Policies.Keys.Order(StringComparer.Ordinal)]);

    private static AccessKeyView View(AccessKeyDocument key) => new(key.AccessKeyId, key.UserName, key.Status, key.CreatedAt);

    private static IResult NoSuchUser(string name) => AdminAuthenticationMiddleware.Error(S3ErrorCodes.NoSuchEntity, $"User '{name}' does not exist.");

    private static IResult NoSuchKey(string accessKeyId) => AdminAuthenticationMiddleware.Error(S3ErrorCodes.NoSuchEntity, $"Access key '{accessKeyId}' does not exist.");

    private static IResult Conflict(string message) => AdminAuthenticationMiddleware.Error(S3ErrorCodes.EntityAlreadyExists, message);
}
