using System.Buffers;
using System.Globalization;
using System.Text;

namespace ComIO.Bench.S3;

/// <summary>
/// The HTTP ceiling: bare Kestrel on loopback answering the load generator's requests with no storage and no
/// verification. PUT reads the body to the end and discards it; GET serves <c>size</c> bytes from one in-memory buffer
/// (1 MiB per write), where the size is the key's first path segment (<c>/bucket/{size}/...</c>); HEAD, DELETE and bucket PUT answer with
/// fixed small responses; ListObjectsV2 answers with a prebuilt XML page of the requested number of keys (the same shape
/// ComIO returns). What remains is the cost of HTTP/1.1 on Kestrel plus the generator itself.
/// </summary>
internal sealed class CeilingServer : IAsyncDisposable
{
    /// <summary>
    /// The most a GET hands Kestrel per write. Kestrel copies a write into its response pipe before it waits for the
    /// socket, so one 64 MiB write held (and allocated) the whole body per request (see bench/README.md, session of
    /// 2026-11-28).
    /// </summary>
    private const int WriteSlice = 1024 * 1024;

    private readonly byte[] _data;
    private readonly Dictionary<int, byte[]> _listPages = [];
    private readonly Lock _gate = new();
    private WebApplication _app = null!;

    private CeilingServer(byte[] data)
    {
        _data = data;
    }

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<CeilingServer> StartAsync(byte[] data)
    {
        var server = new CeilingServer(data);
        (server._app, server.Endpoint) = await BareKestrel.StartAsync(server.HandleAsync);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value ?? "/";
        var isObject = path.IndexOf('/', 1) > 0;
        switch (request.Method)
        {
            case "PUT":
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                    try
                    {
                        while (await request.Body.ReadAsync(buffer, context.RequestAborted) > 0)
                        {
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }

                    response.Headers.ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"";
                    response.ContentLength = 0;
                    return;
                }

            case "GET" when isObject:
                {
                    var size = SizeOf(path);
                    response.ContentLength = size;
                    response.ContentType = "application/octet-stream";
                    response.Headers.ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"";
                    for (long sent = 0; sent < size;)
                    {
                        var n = (int)Math.Min(Math.Min(_data.Length, WriteSlice), size - sent);
                        await response.Body.WriteAsync(_data.AsMemory(0, n), context.RequestAborted);
                        sent += n;
                    }

                    return;
                }

            case "GET":
                {
                    var maxKeys = int.TryParse(request.Query["max-keys"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 1000;
                    var page = ListPage(maxKeys);
                    response.ContentType = "application/xml";
                    response.ContentLength = page.Length;
                    await response.Body.WriteAsync(page, context.RequestAborted);
                    return;
                }

            case "HEAD":
                response.ContentLength = SizeOf(path);
                response.Headers.ETag = "\"d41d8cd98f00b204e9800998ecf8427e\"";
                return;
            case "DELETE":
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            default:
                response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
        }
    }

    private static long SizeOf(string path)
    {
        // /bucket/{size}/...
        var start = path.IndexOf('/', 1) + 1;
        var end = path.IndexOf('/', start);
        return start > 0 && long.TryParse(path.AsSpan(start, (end < 0 ? path.Length : end) - start), NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0;
    }

    private byte[] ListPage(int maxKeys)
    {
        lock (_gate)
        {
            if (!_listPages.TryGetValue(maxKeys, out var page))
            {
                var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bench</Name><Prefix>4096/</Prefix>");
                xml.Append(CultureInfo.InvariantCulture, $"<KeyCount>{maxKeys}</KeyCount><MaxKeys>{maxKeys}</MaxKeys><IsTruncated>true</IsTruncated>");
                for (var i = 0; i < maxKeys; i++)
                {
                    xml.Append(CultureInfo.InvariantCulture, $"<Contents><Key>4096/c1/w0/{i:D8}</Key><LastModified>2026-11-26T00:00:00.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>4096</Size><StorageClass>STANDARD</StorageClass></Contents>");
                }

                xml.Append("<NextContinuationToken>bmV4dA</NextContinuationToken></ListBucketResult>");
                page = Encoding.UTF8.GetBytes(xml.ToString());
                _listPages[maxKeys] = page;
            }

            return page;
        }
    }
}
