using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Faults;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Replication;

/// <summary>Creates a bucket on both sites, versioned, replicating to its namesake on the other site (both directions).</summary>
public static class ReplicationSetup
{
    /// <summary>
    /// Waits until every process of both sites runs and reports healthy (a clear failure naming the one that does not:
    /// a request to a service that is down waits in the AppHost's proxy until the client gives up), then creates the bucket.
    /// </summary>
    public static async Task<string> BidirectionalBucketAsync(TwoSiteFixture sites, string hint, CancellationToken ct)
    {
        await new TopologyProcesses(() => sites.App).WaitAllHealthyAsync(TwoSiteFixture.Resources, ct);
        var bucket = $"{hint}-{Guid.NewGuid():N}"[..Math.Min(40, hint.Length + 13)];
        foreach (var (site, other) in new[] { (TwoSiteFixture.East, TwoSiteFixture.West), (TwoSiteFixture.West, TwoSiteFixture.East) })
        {
            using var s3 = sites.Client(site);
            await s3.PutBucketAsync(bucket, ct);
            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, ct);
            await s3.PutBucketReplicationAsync(new PutBucketReplicationRequest
            {
                BucketName = bucket,
                Configuration = new ReplicationConfiguration
                {
                    Role = "arn:aws:iam::000000000000:role/replication",
                    Rules =
                    [
                        new ReplicationRule
                        {
                            Id = "to-" + other,
                            Priority = 1,
                            Status = ReplicationRuleStatus.Enabled,
                            Filter = new ReplicationRuleFilter { Prefix = "" },
                            DeleteMarkerReplication = new DeleteMarkerReplication { Status = DeleteMarkerReplicationStatus.Enabled },
                            Destination = new ReplicationDestination { BucketArn = $"arn:aws:s3:{other}::{bucket}" },
                        },
                    ],
                },
            }, ct);
        }

        return bucket;
    }

    /// <summary>Entries in a site's replication dead-letter stream (read with redis-cli).</summary>
    public static async Task<long> DeadLettersAsync(TwoSiteFixture sites, string site, CancellationToken ct)
    {
        var result = await RedisCliAsync(sites, site, ["XLEN", $"comio:replication:{site}:dead-letter"], ct);
        return result.ExitCode == 0 ? long.Parse(result.StdOut.Trim(), CultureInfo.InvariantCulture) : throw new InvalidOperationException(result.Describe("redis-cli"));
    }

    /// <summary>Entries of a site's stream delivered to the workers but not acknowledged yet (XPENDING count).</summary>
    public static async Task<long> PendingAsync(TwoSiteFixture sites, string site, CancellationToken ct)
    {
        var result = await RedisCliAsync(sites, site, ["XPENDING", $"comio:replication:{site}", "replication-workers"], ct);
        var first = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
        return long.TryParse(first, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }

    public static async Task<string?> ReplicationStatusAsync(IAmazonS3 s3, string bucket, string key, string versionId, CancellationToken ct) =>
        (await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId }, ct)).ReplicationStatus?.Value;

    private static Task<ExternalProcessResult> RedisCliAsync(TwoSiteFixture sites, string site, string[] command, CancellationToken ct) =>
        ExternalProcess.RunAsync("redis-cli", ["-p", sites.RedisPort(site).ToString(CultureInfo.InvariantCulture), .. command],
            new Dictionary<string, string>(), TimeSpan.FromSeconds(20), ct);
}
