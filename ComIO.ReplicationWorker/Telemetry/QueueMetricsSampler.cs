using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Queue;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Telemetry;

/// <summary>
/// Samples the site's queue (depth, oldest entry's age, dead-letter length) every <see cref="Interval"/> for the gauges
/// of <see cref="ReplicationTelemetry"/>. A failed sample (Redis down) keeps the previous figures and is retried.
/// </summary>
public sealed class QueueMetricsSampler(ReplicationQueue queue, ReplicationTelemetry telemetry, IOptions<LocalSiteOptions> site,
    TimeProvider time, ILogger<QueueMetricsSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                telemetry.PublishQueue(await queue.SampleAsync(site.Value.Name, time.GetUtcNow()));
            }
            catch (Exception e)
            {
                logger.LogDebug("Sampling {Stream} failed: {Error}", queue.StreamName, e.Message);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }
}
