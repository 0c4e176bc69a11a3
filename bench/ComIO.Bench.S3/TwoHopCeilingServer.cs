using System.Buffers;

namespace ComIO.Bench.S3;

/// <summary>
/// The two-hop HTTP ceiling: a bare Kestrel front end that forwards every request, body streamed, to the bare ceiling
/// (<see cref="CeilingServer"/>) over a pooled <see cref="HttpClient"/> and streams the answer back, with no S3 work at
/// either end. It is what any design with a front end and a separate storage tier (ComIO's API service and storage
/// nodes) pays at least for HTTP on this machine: the generator's hop plus one internal hop. Its ratio to the one-hop
/// ceiling bounds the ratio such a design can reach here.
/// </summary>
internal sealed class TwoHopCeilingServer : IAsyncDisposable
{
    private const int CopyBufferSize = 128 * 1024;
    private readonly HttpClient _backend = BareKestrel.LoadClient();
    private readonly Uri _backendAddress;
    private WebApplication _app = null!;

    private TwoHopCeilingServer(Uri backendAddress)
    {
        _backendAddress = backendAddress;
    }

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<TwoHopCeilingServer> StartAsync(Uri backend)
    {
        var server = new TwoHopCeilingServer(backend);
        (server._app, server.Endpoint) = await BareKestrel.StartAsync(server.ForwardAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _backend.Dispose();
    }

    /// <summary>Forwards method, path and query, Content-Length and body; answers with the backend's status, length, ETag and body.</summary>
    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var ct = context.RequestAborted;
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(_backendAddress, request.Path.Value + request.QueryString.Value));
        if (request.ContentLength is { } length)
        {
            forward.Content = new StreamContent(request.Body, CopyBufferSize);
            forward.Content.Headers.ContentLength = length;
        }

        using var answer = await _backend.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, ct);
        var response = context.Response;
        response.StatusCode = (int)answer.StatusCode;
        response.ContentLength = answer.Content.Headers.ContentLength;
        if (answer.Headers.ETag is { } etag)
        {
            response.Headers.ETag = etag.ToString();
        }

        if (request.Method == "HEAD")
        {
            return;
        }

        await using var body = await answer.Content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, CopyBufferSize), ct)) > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
