using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Faults;

namespace ComIO.IntegrationTests.Replication;

/// <summary>
/// Replication under faults: while both sites take a stream of writes and deletes on the same keys, the destination
/// site's API service is killed and stays down for a while, the source site's Redis is killed (SIGKILL) and restarted,
/// the source site's replication worker is killed mid-copy and one of its storage nodes is killed and restarted. Afterwards both sites must converge: every
/// acknowledged version (and delete marker) present on both, byte-identical, the same current version everywhere, the
/// source reporting COMPLETED and the destination REPLICA, no replication loops (the streams drain), dead-letter empty.
/// Checked with listings and content hashes, polling until equal or a deadline.
/// </summary>
[Collection(TwoSiteCollection.Name)]
[Trait("Category", "Faults")]
public sealed class ReplicationFaultTests(TwoSiteFixture sites)
{
    private const int Keys = 24;
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan IdleWindow = TimeSpan.FromSeconds(4);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Acknowledged(string Site, string Key, string VersionId, bool DeleteMarker, string? Md5);

    [Fact]
    public async Task BothSitesConverge_AfterDestinationOutage_RedisRestart_WorkerKill_AndNodeKill()
    {
        var seed = Random.Shared.Next();
        var reportFile = Environment.GetEnvironmentVariable("COMIO_REPLICATION_REPORT");
        void Log(string line)
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss}] {line}";
            TestContext.Current.TestOutputHelper?.WriteLine(stamped);
            if (reportFile is not null)
            {
                File.AppendAllText(reportFile, stamped + Environment.NewLine);
            }
        }

        Log($"replication fault test: seed {seed}");
        var processes = new TopologyProcesses(() => sites.App);
        var deadLettersBefore = (await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.East, Ct), await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct));
        var bucket = await ReplicationSetup.BidirectionalBucketAsync(sites, "replfault", Ct);
        using var east = sites.Client(TwoSiteFixture.East);
        using var west = sites.Client(TwoSiteFixture.West);
        var acknowledged = new ConcurrentBag<Acknowledged>();
        var failures = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var writers = new[]
        {
            WriteLoopAsync(east, TwoSiteFixture.East, bucket, seed, acknowledged, failures, stop.Token),
            WriteLoopAsync(west, TwoSiteFixture.West, bucket, seed + 1, acknowledged, failures, stop.Token),
        };

        await Task.Delay(TimeSpan.FromSeconds(4), Ct);

        // (a) The destination (west) API service is down for a while; east keeps writing, its worker keeps retrying.
        var westApi = (await processes.InstancesAsync($"{TwoSiteFixture.West}-api", Ct)).Single();
        processes.Kill(westApi, "ComIO.ApiService");
        Log("killed west-api");
        await Task.Delay(TimeSpan.FromSeconds(15), Ct);
        await processes.RestartAsync(westApi, Ct);
        Log("west-api back");

        // (b) East's Redis is killed with SIGKILL and restarted: entries published in its last second may be lost; the
        // nodes' outboxes still hold every pending change and re-publish it.
        var eastRedis = (await processes.InstancesAsync($"{TwoSiteFixture.East}-redis", Ct)).Single();
        processes.Kill(eastRedis, "redis-server");
        Log("killed east-redis");
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        await processes.RestartAsync(eastRedis, Ct);
        Log("east-redis back");

        // (c) East's worker is killed while it copies (a large object is being written on east right now).
        using (var large = new MemoryStream(RandomNumberGenerator.GetBytes(12 * 1024 * 1024)))
        {
            var md5 = Convert.ToHexStringLower(MD5.HashData(large.ToArray()));
            var put = await east.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "large-during-kill", InputStream = large }, Ct);
            acknowledged.Add(new Acknowledged(TwoSiteFixture.East, "large-during-kill", put.VersionId, false, md5));
        }

        var eastWorker = (await processes.InstancesAsync($"{TwoSiteFixture.East}-replication", Ct)).Single();
        processes.Kill(eastWorker, "ComIO.ReplicationWorker");
        Log("killed east-replication");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await processes.RestartAsync(eastWorker, Ct);
        Log("east-replication back");

        // (d) A storage node of east is killed with SIGKILL: its outbox survives in its metadata and its relay publishes
        // everything still pending when it comes back.
        var eastNode = (await processes.InstancesAsync($"{TwoSiteFixture.East}-node2", Ct)).Single();
        processes.Kill(eastNode, "ComIO.StorageNode");
        Log("killed east-node2");
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await processes.RestartAsync(eastNode, Ct);
        Log("east-node2 back");

        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Log($"writes acknowledged: {acknowledged.Count} ({acknowledged.Count(a => a.DeleteMarker)} delete markers); refused during faults: {string.Join(", ", failures.Select(f => $"{f.Key}={f.Value}"))}");

        var clock = Stopwatch.StartNew();
        var (onEast, onWest) = await SiteComparison.WaitForSameVersionsAsync(east, west, bucket, ConvergenceTimeout, Ct);
        Log($"converged after {clock.Elapsed.TotalSeconds:F0} s: {onEast.Count} versions on each site");

        Assert.Equal(onEast, onWest);
        var byId = onEast.ToDictionary(v => v.VersionId);
        foreach (var write in acknowledged)
        {
            Assert.True(byId.TryGetValue(write.VersionId, out var stored), $"acknowledged {write.Site} version {write.Key}@{write.VersionId} is missing");
            Assert.Equal((write.Key, write.DeleteMarker, write.Md5), (stored!.Key, stored.IsDeleteMarker, stored.ContentMd5));
        }

        foreach (var write in acknowledged.Where(a => !a.DeleteMarker))
        {
            var origin = write.Site == TwoSiteFixture.East ? east : west;
            var other = write.Site == TwoSiteFixture.East ? west : east;
            Assert.Equal("COMPLETED", await WaitForStatusAsync(origin, bucket, write, "COMPLETED"));
            Assert.Equal("REPLICA", await ReplicationSetup.ReplicationStatusAsync(other, bucket, write.Key, write.VersionId, Ct));
        }

        Assert.Equal(deadLettersBefore, (await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.East, Ct), await ReplicationSetup.DeadLettersAsync(sites, TwoSiteFixture.West, Ct)));
        Assert.Equal(0, await WaitForDrainedAsync(TwoSiteFixture.East));
        Assert.Equal(0, await WaitForDrainedAsync(TwoSiteFixture.West));

        // No loops: a little later nothing new has appeared on either site.
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(onEast.Count, (await SiteComparison.VersionsAsync(east, bucket, withContent: false, Ct)).Count);
        Assert.Equal(onWest.Count, (await SiteComparison.VersionsAsync(west, bucket, withContent: false, Ct)).Count);
        Log($"verified: {acknowledged.Count} acknowledged versions on both sites byte-identical, statuses COMPLETED/REPLICA, no new dead letters, streams drained");

        // (e) A node restarted once its outbox has drained (its high-water sequence is above every entry left) idles:
        // its relay waits for a new entry instead of re-reading the empty outbox in a loop.
        processes.Kill(eastNode, "ComIO.StorageNode");
        await processes.RestartAsync(eastNode, Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var before = processes.ProcessorTime(eastNode, "ComIO.StorageNode");
        await Task.Delay(IdleWindow, Ct);
        var used = processes.ProcessorTime(eastNode, "ComIO.StorageNode") - before;
        Log($"east-node2 restarted with a drained outbox used {used.TotalMilliseconds:F0} ms of CPU in {IdleWindow.TotalSeconds:F0} s");
        Assert.True(used < IdleWindow / 4, $"an idle east-node2 used {used.TotalMilliseconds:F0} ms of CPU in {IdleWindow.TotalSeconds:F0} s");
    }

    /// <summary>Random PUTs (1 KiB – 300 KiB) and deletes on a small key space until stopped; records what the site acknowledged.</summary>
    private static async Task WriteLoopAsync(IAmazonS3 s3, string site, string bucket, int seed, ConcurrentBag<Acknowledged> acknowledged, ConcurrentDictionary<string, int> failures, CancellationToken stop)
    {
        var random = new Random(seed);
        while (!stop.IsCancellationRequested)
        {
            var key = $"k{random.Next(Keys):D2}";
            try
            {
                if (random.Next(100) < 20)
                {
                    var deleted = await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, Ct);
                    acknowledged.Add(new Acknowledged(site, key, deleted.VersionId, true, null));
                }
                else
                {
                    var data = new byte[random.Next(1024, 300 * 1024)];
                    random.NextBytes(data);
                    var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, Ct);
                    acknowledged.Add(new Acknowledged(site, key, put.VersionId, false, Convert.ToHexStringLower(MD5.HashData(data))));
                }
            }
            catch (Exception e) when (e is Amazon.Runtime.AmazonServiceException or HttpRequestException or IOException or TaskCanceledException && !Ct.IsCancellationRequested)
            {
                // Refused or cut off while a process of this site was down: not acknowledged, so not expected anywhere.
                failures.AddOrUpdate(site, 1, (_, n) => n + 1);
                await Task.Delay(200, Ct);
            }
        }
    }

    private async Task<string?> WaitForStatusAsync(IAmazonS3 s3, string bucket, Acknowledged write, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        string? status;
        while ((status = await ReplicationSetup.ReplicationStatusAsync(s3, bucket, write.Key, write.VersionId, Ct)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, Ct);
        }

        return status;
    }

    private async Task<long> WaitForDrainedAsync(string site)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        long pending;
        while ((pending = await ReplicationSetup.PendingAsync(sites, site, Ct)) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, Ct);
        }

        return pending;
    }
}
