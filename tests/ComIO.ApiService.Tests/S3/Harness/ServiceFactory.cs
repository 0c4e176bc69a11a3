using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>
/// Runs one ComIO service (the API service or a storage node) in process on real Kestrel at 127.0.0.1 on an ephemeral
/// port, with its real <c>Program</c>. <typeparamref name="TMarker"/> is any public type of the service's assembly: both
/// services use top-level statements, so their <c>Program</c> types collide and are never named.
/// Settings are host settings, so <c>Program</c> sees them even where it reads configuration before <c>Build()</c>.
/// <paramref name="logs"/>, when given, is the only logger provider (tests that read what the service logs).
/// </summary>
internal sealed class ServiceFactory<TMarker>(IReadOnlyDictionary<string, string> settings, ILoggerProvider? logs = null) : WebApplicationFactory<TMarker>
    where TMarker : class
{
    /// <summary>The base address Kestrel listens on, e.g. <c>http://127.0.0.1:41234</c>. Valid after <see cref="Start"/>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public ServiceFactory<TMarker> Start()
    {
        BaseAddress = LoopbackKestrel.Start(this);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        // The services log JSON to the console; the test output stays readable without it.
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            if (logs is not null)
            {
                logging.AddProvider(logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
    }
}
