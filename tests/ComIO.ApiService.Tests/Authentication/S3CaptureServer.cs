using System.Collections.Concurrent;
using System.Net;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>
/// An in-process Kestrel on 127.0.0.1 (ephemeral port) that records every request byte-for-byte, runs the authenticator
/// in the live pipeline, and answers with minimal S3-shaped responses so the AWS SDK is satisfied.
/// </summary>
internal sealed class S3CaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private S3CaptureServer(WebApplication app, SigV4Authenticator? authenticator)
    {
        _app = app;
        app.Run(async context => await HandleAsync(context, authenticator));
    }

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<S3CaptureServer> StartAsync(SigV4Authenticator? authenticator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new S3CaptureServer(builder.Build(), authenticator);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        server.BaseAddress = new Uri(server._app.Urls.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context, SigV4Authenticator? authenticator)
    {
        AuthenticationResult? live = null;
        Exception? error = null;
        try
        {
            live = authenticator?.Authenticate(context);
        }
        catch (Exception e)
        {
            error = e;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var rawTarget = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var headers = context.Request.Headers.Select(h => new KeyValuePair<string, string[]>(h.Key, h.Value.ToArray()!)).ToList();
        Requests.Enqueue(new CapturedRequest(context.Request.Method, rawTarget, headers, body.ToArray()) { LiveResult = live, LiveError = error });

        var response = context.Response;
        response.Headers["x-amz-request-id"] = "TEST";
        if (error is S3Exception s3Error)
        {
            response.StatusCode = (int)s3Error.Error.Status;
            response.ContentType = "application/xml";
            await response.WriteAsync(
                $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{s3Error.Error.Code}</Code><Message>{System.Security.SecurityElement.Escape(s3Error.Message)}</Message><RequestId>TEST</RequestId></Error>");
        }
        else if (HttpMethods.IsGet(context.Request.Method) && context.Request.Query.ContainsKey("list-type"))
        {
            response.ContentType = "application/xml";
            await response.WriteAsync(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<Name>bucket</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>");
        }
        else if (HttpMethods.IsGet(context.Request.Method))
        {
            response.ContentType = "text/plain";
            response.Headers.ETag = "\"5d41402abc4b2a76b9719d911017c592\"";
            response.Headers.LastModified = DateTimeOffset.UtcNow.ToString("R");
            await response.WriteAsync("hello");
        }
        else
        {
            response.StatusCode = (int)HttpStatusCode.OK;
            response.Headers.ETag = "\"5d41402abc4b2a76b9719d911017c592\"";
        }
    }
}
