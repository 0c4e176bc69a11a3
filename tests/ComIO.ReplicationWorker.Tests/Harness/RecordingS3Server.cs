using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>One request as the server saw it (header names lower-case; the body exactly as sent, aws-chunked framing included).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The header names listed in the SigV4 <c>Authorization</c> header's <c>SignedHeaders</c>.</summary>
    public IReadOnlySet<string> SignedHeaders
    {
        get
        {
            var authorization = Headers.GetValueOrDefault("authorization") ?? "";
            var start = authorization.IndexOf("SignedHeaders=", StringComparison.Ordinal);
            if (start < 0)
            {
                return new HashSet<string>();
            }

            var list = authorization[(start + "SignedHeaders=".Length)..];
            var end = list.IndexOf(',', StringComparison.Ordinal);
            return (end < 0 ? list : list[..end]).Split(';').ToHashSet(StringComparer.Ordinal);
        }
    }
}

/// <summary>
/// A Kestrel server on a free loopback port that records every request (headers, then the body as it arrives:
/// <see cref="BodyBytesReceived"/> grows while a body streams in) and answers with <c>respond</c> (default: 200 with an ETag).
/// </summary>
public sealed class RecordingS3Server : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _bodyBytes;

    private RecordingS3Server(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public long BodyBytesReceived => Interlocked.Read(ref _bodyBytes);

    public static async Task<RecordingS3Server> StartAsync(Func<HttpContext, RecordedRequest, Task>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        var server = new RecordingS3Server(app);
        respond ??= static (context, _) =>
        {
            context.Response.Headers.ETag = "\"etag\"";
            return Task.CompletedTask;
        };
        app.Run(async context =>
        {
            var body = new MemoryStream();
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                body.Write(buffer, 0, read);
                Interlocked.Add(ref server._bodyBytes, read);
            }

            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body.ToArray());
            server.Requests.Enqueue(request);
            await respond(context, request);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
