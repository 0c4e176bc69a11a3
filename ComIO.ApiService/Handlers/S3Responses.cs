using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Handlers;

/// <summary>Writes successful S3 responses.</summary>
public static class S3Responses
{
    public static async Task XmlAsync(S3Request request, byte[] body, int status = StatusCodes.Status200OK)
    {
        request.Response.StatusCode = status;
        request.Response.ContentType = S3Xml.ContentType;
        request.Response.ContentLength = body.Length;
        await request.Response.Body.WriteAsync(body, request.Aborted).ConfigureAwait(false);
    }
}
