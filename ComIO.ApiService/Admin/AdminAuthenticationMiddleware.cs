using ComIO.ApiService.Authentication;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Admin;

/// <summary>
/// Admits an admin API request (a path under <see cref="AdminRoutes.Prefix"/>) only when it is SigV4-signed by the
/// configured admin or a user marked administrator. Runs as middleware, before endpoint parameter binding, so the body
/// (at most <see cref="MaxBodyBytes"/>) is read and verified against its signed hash before any handler or JSON binder
/// sees it. Failures answer a JSON <see cref="AdminError"/> with S3's status for the same error.
/// </summary>
public sealed class AdminAuthenticationMiddleware(RequestDelegate next, RequestAuthenticator authenticator)
{
    public const int MaxBodyBytes = 64 * 1024;
    private const string PrincipalItem = "comio.admin.principal";

    /// <summary>The authenticated administrator of the current admin request.</summary>
    public static Principal PrincipalOf(HttpContext context) => (Principal)context.Items[PrincipalItem]!;

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = RequestIdGenerator.Next();
        context.Response.Headers["x-amz-request-id"] = requestId;
        try
        {
            await HashUnsignedBodyAsync(context);
            var (auth, principal) = await authenticator.AuthenticateAsync(context, requestId);
            if (principal is not { MayAdminister: true })
            {
                await Error(S3ErrorCode.AccessDenied, "The admin API requires the credentials of an administrator.").ExecuteAsync(context);
                return;
            }

            context.Items[PrincipalItem] = principal;
            context.Request.Body = await ReadVerifiedBodyAsync(auth, context);
        }
        catch (S3Exception e)
        {
            await Error(e.Error, e.Message).ExecuteAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (S3Exception e) when (!context.Response.HasStarted)
        {
            // Errors from the identity store or peer sites (e.g. 503 when a peer did not confirm) as admin JSON errors.
            await Error(e.Error, e.Message).ExecuteAsync(context);
        }
        catch (HttpRequestException) when (!context.Response.HasStarted)
        {
            await Error(S3ErrorCode.ServiceUnavailable, "A storage node of this site is unreachable.").ExecuteAsync(context);
        }
    }

    public static IResult Error(S3ErrorCode error, string message) =>
        Results.Json(new AdminError(error.Code, message), AdminJsonContext.Default.AdminError, statusCode: (int)error.Status);

    /// <summary>
    /// Generic SigV4 clients (e.g. <c>curl --aws-sigv4</c>) sign the SHA-256 of the body without sending
    /// <c>x-amz-content-sha256</c>, which S3 requires. For the admin API the body is small: read it, and supply the header
    /// with its real hash, so the signature is checked over the body actually received.
    /// </summary>
    private static async Task HashUnsignedBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.ContainsKey("x-amz-content-sha256") || !request.Headers.ContainsKey("Authorization"))
        {
            return;
        }

        var body = await ReadBoundedAsync(request.Body, context.RequestAborted);
        request.Headers["x-amz-content-sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body.GetBuffer().AsSpan(0, (int)body.Length)));
        request.Body = body;
    }

    private static async Task<MemoryStream> ReadBoundedAsync(Stream source, CancellationToken ct)
    {
        var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                throw new S3Exception(S3ErrorCode.EntityTooLarge, $"Admin request bodies are at most {MaxBodyBytes} bytes.");
            }

            body.Write(buffer, 0, read);
        }

        body.Position = 0;
        return body;
    }

    private static async Task<Stream> ReadVerifiedBodyAsync(AuthenticationResult auth, HttpContext context)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge, $"Admin request bodies are at most {MaxBodyBytes} bytes.");
        }

        var raw = context.Request.Body;
        var verified = auth.WrapBody(raw);
        try
        {
            return await ReadBoundedAsync(verified, context.RequestAborted);
        }
        finally
        {
            if (!ReferenceEquals(verified, raw))
            {
                await verified.DisposeAsync();
            }
        }
    }
}
