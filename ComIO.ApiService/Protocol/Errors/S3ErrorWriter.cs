using System.Xml;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Protocol.Errors;

/// <summary>
/// The one place S3 error responses are written: status, request id, the error's own response headers, and the XML
/// body (none for HEAD or 304). Anything a handler set on the response before failing is discarded.
/// </summary>
public static class S3ErrorWriter
{
    public static async Task WriteAsync(HttpContext context, S3ErrorCode error, string? message, string resource, string requestId,
        IReadOnlyList<KeyValuePair<string, string>>? extra = null, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        response.Clear();
        response.StatusCode = (int)error.Status;
        response.Headers["x-amz-request-id"] = requestId;
        response.Headers["x-amz-id-2"] = requestId;
        foreach (var (name, value) in headers ?? [])
        {
            response.Headers[name] = value;
        }

        if (HttpMethods.IsHead(context.Request.Method) || error.Status == System.Net.HttpStatusCode.NotModified)
        {
            return;
        }

        var body = S3Xml.Document("Error", writer =>
        {
            writer.Element("Code", error.Code);
            writer.Element("Message", message ?? error.DefaultMessage);
            foreach (var (name, value) in extra ?? [])
            {
                writer.Element(name, value);
            }

            writer.Element("Resource", resource);
            writer.Element("RequestId", requestId);
            writer.Element("HostId", requestId);
        }, withNamespace: false);
        response.ContentType = S3Xml.ContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
