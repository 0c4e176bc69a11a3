using ComIO.Storage;
using ComIO.StorageNode.Configuration;
using ComIO.StorageNode.Engines;
using Microsoft.Extensions.Options;

namespace ComIO.StorageNode.Scrubbing;

/// <summary>
/// Re-reads every stored chunk of every device and verifies its CRC32C, at a bounded rate so client I/O keeps
/// priority. Runs every <see cref="StorageOptions.ScrubIntervalHours"/> (0 disables the schedule) and on demand
/// through the internal API. One scrub at a time; findings are logged with the extent and kept in <see cref="ScrubState"/>.
/// </summary>
public sealed class NodeScrubber(NodeEngines engines, ScrubState state, IOptions<StorageOptions> options, TimeProvider time, ILogger<NodeScrubber> logger) : BackgroundService
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<IReadOnlyList<ScrubReport>> ScrubNowAsync(CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var reports = new List<ScrubReport>();
            foreach (var engine in engines.All)
            {
                var report = await engine.ScrubAsync(options.Value.ScrubBytesPerSecond, ct);
                foreach (var finding in report.Findings)
                {
                    logger.LogError("Scrub: {Bucket}/{Key} chunk {Chunk} at device {DeviceId} offset {Offset}: {Problem}",
                        finding.Bucket, finding.Key, finding.ChunkIndex, engine.DeviceId, finding.DeviceOffset, finding.Problem);
                }

                logger.LogInformation("Scrub of device {DeviceId}: {Objects} objects, {Bytes} bytes verified, {Findings} findings in {Duration}",
                    engine.DeviceId, report.ObjectsScanned, report.BytesVerified, report.Findings.Count, report.Duration);
                reports.Add(report);
            }

            state.Record(reports, time.GetUtcNow());
            return reports;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromHours(options.Value.ScrubIntervalHours);
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ScrubNowAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Scheduled scrub failed");
            }
        }
    }
}
