using System.Net;

namespace ComIO.Bench.S3;

/// <summary>What the bare HTTP endpoints of the benchmark share: a minimal Kestrel app on loopback, and an HTTP client tuned for load.</summary>
internal static class BareKestrel
{
    /// <summary>
    /// Starts a slim <see cref="WebApplication"/> on a free loopback port answering every request with
    /// <paramref name="handler"/>: no logging, no body-size limit, no Server header.
    /// </summary>
    public static async Task<(WebApplication App, Uri Endpoint)> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production", Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync();
        return (app, ComIOSite.AddressOf(app));
    }

    /// <summary>An <see cref="HttpClient"/> for many concurrent requests: pooled connections kept for good, no redirects, cookies, decompression or timeout.</summary>
    public static HttpClient LoadClient(Uri? baseAddress = null) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = 1024,
    })
    {
        BaseAddress = baseAddress,
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
