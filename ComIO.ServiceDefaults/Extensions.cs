using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Shared service defaults for every ComIO service: OpenTelemetry traces, metrics and logs (OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, which the Aspire AppHost does), a Prometheus scrape endpoint at
/// <c>/metrics</c>, <c>/health</c> and <c>/alive</c>, JSON console logs, service discovery and HTTP resilience.
/// </summary>
public static class Extensions
{
    /// <summary>Liveness endpoint: answers as long as the process serves HTTP.</summary>
    public const string AlivePath = "/alive";

    /// <summary>Readiness endpoint: every registered health check must pass.</summary>
    public const string HealthPath = "/health";

    /// <summary>Prometheus text exposition endpoint.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Meter and activity source names of ComIO's own instrumentation; every service exports them.</summary>
    public static readonly string[] ComIOTelemetrySources = ["ComIO.ApiService", "ComIO.StorageNode", "ComIO.Storage", "ComIO.Replication"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureJsonConsoleLogging();
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// Adds the standard resilience pipeline (retries, timeouts, circuit breaker) to an HttpClient. Not applied to
    /// every client by default: streaming clients (object bodies) cannot be retried blindly and must opt out.
    /// </summary>
    public static IHttpClientBuilder AddDefaultResilience(this IHttpClientBuilder builder)
    {
        builder.AddStandardResilienceHandler();
        return builder;
    }

    private static TBuilder ConfigureJsonConsoleLogging<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.UseUtcTimestamp = true;
        });
        return builder;
    }

    private static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(ComIOTelemetrySources)
                    .AddPrometheusExporter();
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(ComIOTelemetrySources)
                    .AddAspNetCoreInstrumentation(options =>
                        options.Filter = context => !IsInfrastructurePath(context.Request.Path))
                    .AddHttpClientInstrumentation(options =>
                        options.FilterHttpRequestMessage = request => request.RequestUri is null || !IsInfrastructurePath(request.RequestUri.AbsolutePath));
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsInfrastructurePath(string path) =>
        path.StartsWith(HealthPath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(AlivePath, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(MetricsPath, StringComparison.OrdinalIgnoreCase);

    private static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>Maps <c>/health</c>, <c>/alive</c> and <c>/metrics</c>. Health output is JSON with each check's status and data.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync });
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
