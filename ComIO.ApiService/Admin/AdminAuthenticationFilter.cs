using ComIO.ApiService.Authentication;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Admin;

/// <summary>
/// Admits an admin API request only when it is SigV4-signed by the configured admin or a user marked administrator.
/// A signed body is read (at most <see cref="MaxBodyBytes"/>) and verified against its signed hash before the handler
/// sees it. Failures answer a JSON <see cref="AdminError"/> with S3's status for the same error.
/// </summary>
public sealed class AdminAuthenticationFilter(RequestAuthenticator authenticator) : IEndpointFilter
{
    public const int MaxBodyBytes = 64 * 1024;
    private const string PrincipalItem = "comio.admin.principal";

    /// <summary>The authenticated administrator of the current admin request.</summary>
    public static Principal PrincipalOf(HttpContext context) => (Principal)context.Items[PrincipalItem]!;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var requestId = RequestIdGenerator.Next();
        context.Response.Headers["x-amz-request-id"] = requestId;
        try
        {
            var (auth, principal) = await authenticator.AuthenticateAsync(context, requestId);
            if (principal is not { MayAdminister: true })
            {
                return Error(S3ErrorCode.AccessDenied, "The admin API requires the credentials of an administrator.");
            }

            context.Items[PrincipalItem] = principal;
            context.Request.Body = await ReadVerifiedBodyAsync(auth, context);
        }
        catch (S3Exception e)
        {
            return Error(e.Error, e.Message);
        }

        return await next(invocation);
    }

    public static IResult Error(S3ErrorCode error, string message) =>
        Results.Json(new AdminError(error.Code, message), AdminJsonContext.Default.AdminError, statusCode: (int)error.Status);

    private static async Task<Stream> ReadVerifiedBodyAsync(AuthenticationResult auth, HttpContext context)
    {
        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge, $"Admin request bodies are at most {MaxBodyBytes} bytes.");
        }

        var body = new MemoryStream();
        var raw = context.Request.Body;
        var verified = auth.WrapBody(raw);
        try
        {
            var buffer = new byte[8192];
            int read;
            while ((read = await verified.ReadAsync(buffer, context.RequestAborted)) > 0)
            {
                if (body.Length + read > MaxBodyBytes)
                {
                    throw new S3Exception(S3ErrorCode.EntityTooLarge, $"Admin request bodies are at most {MaxBodyBytes} bytes.");
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            if (!ReferenceEquals(verified, raw))
            {
                await verified.DisposeAsync();
            }
        }

        body.Position = 0;
        return body;
    }
}
