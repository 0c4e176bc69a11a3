using ComIO.ApiService.Admin;
using ComIO.ApiService.Audit;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Encryption.Kms;

/// <summary>
/// The admin API of the local key service (<c>/_comio/admin/v1/kms/keys</c>): list, create, show and rotate SSE-KMS keys.
/// Key material is never returned. Authenticated and audited like every admin route.
/// </summary>
public static class KmsAdminRoutes
{
    public static void MapKmsAdminApi(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/kms/keys", ListAsync).WithName("ListKmsKeys").WithSummary("Lists the site's SSE-KMS keys.").WithTags("KMS");
        admin.MapPost("/kms/keys", CreateAsync).WithName("CreateKmsKey").WithSummary("Creates an SSE-KMS key (version 1).").Accepts<CreateKmsKeyRequest>("application/json").WithTags("KMS");
        admin.MapGet("/kms/keys/{name}", GetAsync).WithName("GetKmsKey").WithSummary("Shows one SSE-KMS key (never its material).").WithTags("KMS");
        admin.MapPost("/kms/keys/{name}/rotate", RotateAsync).WithName("RotateKmsKey")
            .WithSummary("Adds a key version and makes it current; objects under older versions stay readable.").WithTags("KMS");
    }

    private static async Task<IResult> ListAsync(KmsKeyStore store, CancellationToken ct) =>
        Results.Json((await store.ListAsync(ct)).Select(store.View).ToList(), KmsJsonContext.Default.ListKmsKeyView);

    private static async Task<IResult> GetAsync(string name, KmsKeyStore store, CancellationToken ct) =>
        await store.GetAsync(name, ct) is { } key ? Results.Json(store.View(key), KmsJsonContext.Default.KmsKeyView) : NoSuchKey(name);

    private static async Task<IResult> CreateAsync(HttpContext context, KmsKeyStore store, AuditLog audit, CancellationToken ct)
    {
        CreateKmsKeyRequest? request;
        try
        {
            request = await System.Text.Json.JsonSerializer.DeserializeAsync(context.Request.Body, KmsJsonContext.Default.CreateKmsKeyRequest, ct);
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }

        if (request is null || !KmsKeyStore.IsValidName(request.Name ?? ""))
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCode.InvalidRequest, "The body must be {\"name\": \"...\"} with 1-64 letters, digits, '-' or '_'.");
        }

        var key = await store.CreateAsync(request.Name!, ct);
        if (key is null)
        {
            return AdminAuthenticationMiddleware.Error(S3ErrorCodes.EntityAlreadyExists, $"The KMS key '{request.Name}' already exists.");
        }

        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "CreateKmsKey", key.Name);
        return Results.Json(store.View(key), KmsJsonContext.Default.KmsKeyView, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RotateAsync(string name, HttpContext context, KmsKeyStore store, AuditLog audit, CancellationToken ct)
    {
        var key = await store.RotateAsync(name, ct);
        if (key is null)
        {
            return NoSuchKey(name);
        }

        audit.AdminChange(AdminAuthenticationMiddleware.PrincipalOf(context), "RotateKmsKey", name);
        return Results.Json(store.View(key), KmsJsonContext.Default.KmsKeyView);
    }

    private static IResult NoSuchKey(string name) => AdminAuthenticationMiddleware.Error(S3ErrorCodes.NoSuchEntity, $"The KMS key '{name}' does not exist.");
}
