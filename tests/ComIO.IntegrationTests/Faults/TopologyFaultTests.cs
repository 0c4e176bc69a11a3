using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Faults;

/// <summary>
/// The fault-injection suite (<c>make test-faults</c>): a seeded mixed S3 workload on the real topology while a storage
/// node, an API replica, the replication worker and Redis are killed with SIGKILL at random moments and restarted; then
/// every acknowledged write must read back byte-identical, every acknowledged delete must be gone, nothing served may
/// differ from what the client could have written, and the nodes' device accounting must match the objects that exist
/// (and return to the baseline once they are deleted). <c>COMIO_FAULT_SEED</c> replays a run; <c>COMIO_FAULT_ROUNDS</c>
/// (default 1: one fault of each kind) sets how many faults of each kind; <c>COMIO_FAULT_REPORT</c> names a file that
/// receives the report.
/// </summary>
[Collection(TopologyCollection.Name)]
[Trait("Category", "Faults")]
public sealed class TopologyFaultTests(TopologyFixture topology)
{
    private const int Workers = 3;
    private const int InlineThreshold = 16 * 1024;
    private const int BlockSize = 4096;
    private static readonly string[] Nodes = [$"{TopologyFixture.Site}-node1", $"{TopologyFixture.Site}-node2"];
    private static readonly string[] AllResources = [.. Nodes, $"{TopologyFixture.Site}-api", $"{TopologyFixture.Site}-replication", $"{TopologyFixture.Site}-redis"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MixedWorkload_LosesNothing_WhenProcessesAreKilled()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("COMIO_FAULT_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("COMIO_FAULT_ROUNDS"), CultureInfo.InvariantCulture, out var r) ? r : 1;
        var report = new StringBuilder();
        void Log(string line)
        {
            report.AppendLine(line);
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }

        Log($"fault suite: seed {seed} (COMIO_FAULT_SEED={seed} replays it), {rounds} round(s) of faults");
        var clock = Stopwatch.StartNew();
        var processes = new TopologyProcesses(topology);
        await processes.WaitAllHealthyAsync(AllResources, Ct);
        using var s3 = topology.CreateClient();
        var bucket = "faults-" + seed.ToString("x8", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
        await s3.PutBucketAsync(bucket, Ct);
        var baseline = new Dictionary<string, long>();
        foreach (var node in Nodes)
        {
            baseline[node] = (await StatsAsync(node)).GetProperty("usedBytes").GetInt64();
        }

        var faultActive = 0;
        var workload = new MixedWorkload(s3, bucket, seed, () => Volatile.Read(ref faultActive) > 0);
        using var stop = new CancellationTokenSource();
        var running = workload.RunAsync(Workers, stop.Token, Ct);
        try
        {
            var random = new Random(seed);
            var faults = Enumerable.Range(0, rounds).SelectMany(_ => Enum.GetValues<FaultKind>()).OrderBy(_ => random.Next()).ToList();
            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            foreach (var kind in faults)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1000, 5000)), Ct);
                for (var wait = 0; wait < 30 && workload.LargeInFlight == 0; wait++)
                {
                    await Task.Delay(100, Ct); // strike while a large body is in flight, when there is one within 3 s
                }

                var (resource, marker) = kind switch
                {
                    FaultKind.StorageNode => (Nodes[random.Next(Nodes.Length)], "ComIO.StorageNode"),
                    FaultKind.ApiReplica => ($"{TopologyFixture.Site}-api", "ComIO.ApiService"),
                    FaultKind.ReplicationWorker => ($"{TopologyFixture.Site}-replication", "ComIO.ReplicationWorker"),
                    _ => ($"{TopologyFixture.Site}-redis", "redis-server"),
                };
                var instances = await processes.InstancesAsync(resource, Ct);
                var instance = instances[random.Next(instances.Count)];
                Interlocked.Increment(ref faultActive);
                var pid = processes.Kill(instance, marker);
                workload.Counters.Add("fault." + kind);
                var killedAt = clock.Elapsed;
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(500, 2500)), Ct);
                await processes.RestartAsync(instance, Ct);
                Log($"  {killedAt:mm\\:ss} kill -9 {instance} (pid {pid}, {kind}); healthy again after {(clock.Elapsed - killedAt).TotalSeconds:F1} s");
                await Task.Delay(TimeSpan.FromSeconds(2), Ct); // clients and proxies reconnect
                Interlocked.Decrement(ref faultActive);
            }

            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }

        var workloadTime = clock.Elapsed;
        await processes.WaitAllHealthyAsync(AllResources, Ct);

        // 1. Every key reads back as the model allows: acknowledged writes byte-identical, acknowledged deletes gone.
        var present = new Dictionary<string, ObjectVersion>(StringComparer.Ordinal);
        var certainWrites = 0;
        var certainDeletes = 0;
        var uncertain = 0;
        foreach (var (key, model) in workload.Keys)
        {
            var sha = await MixedWorkload.ReadHashAsync(s3, bucket, key, Ct);
            workload.Check(key, sha, "verify");
            if (model.IsCertain)
            {
                _ = model.Current is null ? certainDeletes++ : certainWrites++;
            }
            else
            {
                uncertain++;
            }

            if (sha is not null && model.Candidates.FirstOrDefault(c => c?.Sha256 == sha) is { } version)
            {
                present[key] = version;
            }
        }

        // 2. The listing agrees with what exists.
        var listed = await MixedWorkload.ListKeysAsync(s3, bucket, "", Ct);
        foreach (var key in listed.Keys.Except(present.Keys))
        {
            workload.Violations.Enqueue($"verify: {key} listed but not readable or unknown");
        }

        foreach (var key in present.Keys.Except(listed.Keys))
        {
            workload.Violations.Enqueue($"verify: {key} readable but not listed");
        }

        // 3. No stale multipart uploads hold space; scrubs find no corrupt chunk of this bucket.
        var aborted = await AbortUploadsAsync(s3, bucket);
        foreach (var node in Nodes)
        {
            foreach (var finding in await ScrubFindingsAsync(node, bucket))
            {
                workload.Violations.Enqueue($"scrub {node}: {finding}");
            }
        }

        // 4. Device accounting: the bytes allocated since the start are the objects that exist (block-rounded), and
        //    deleting them returns every node to its baseline.
        long used = 0;
        foreach (var node in Nodes)
        {
            used += (await StatsAsync(node)).GetProperty("usedBytes").GetInt64() - baseline[node];
        }

        var expected = present.Values.Sum(v => v.DeviceBytes(InlineThreshold, BlockSize));
        var slack = present.Values.Count(v => v.PartSizes.Count > 1) * (long)BlockSize; // a completed upload may keep or merge its parts
        if (Math.Abs(used - expected) > slack)
        {
            workload.Violations.Enqueue($"space: nodes allocated {used} bytes for this bucket, its objects need {expected} (±{slack})");
        }

        await BucketJanitor.DeleteAllObjectsAsync(s3, bucket, Ct);
        await s3.DeleteBucketAsync(bucket, Ct);
        foreach (var node in Nodes)
        {
            var after = (await StatsAsync(node)).GetProperty("usedBytes").GetInt64();
            if (after != baseline[node])
            {
                workload.Violations.Enqueue($"space: {node} uses {after} bytes after deleting everything, {baseline[node]} before the run (leak {after - baseline[node]})");
            }
        }

        var c = workload.Counters;
        var operations = c.WithPrefix("op.").Sum(o => o.Value);
        var failed = c.WithPrefix("failed.").Where(f => f.Key is not "failed.during_fault" and not "failed.outside_fault").Sum(f => f.Value);
        var lost = workload.Violations.Count(v => v.Contains("(LOST)", StringComparison.Ordinal));
        Log($"operations: {operations} in {workloadTime.TotalSeconds:F0} s ({Format(c.WithPrefix("op."))})");
        Log($"faults injected: {c.WithPrefix("fault.").Sum(f => f.Value)} ({Format(c.WithPrefix("fault."))})");
        Log($"failed operations (expected while a fault is active): {failed} ({c["failed.during_fault"]} during a fault, {c["failed.outside_fault"]} outside; {Format(c.WithPrefix("error."))})");
        Log($"operations slowed over 2 s (node calls retried while a process restarts): {c["slow.during_fault"]} during a fault, {c["slow.outside_fault"]} outside; slowest {c["latency.max_ms"]} ms");
        Log($"verified: {workload.Keys.Count} keys ({certainWrites} acknowledged writes byte-identical, {certainDeletes} acknowledged deletes gone, {uncertain} with an unacknowledged outcome), {present.Count} objects exist, {aborted} stale multipart uploads aborted");
        Log($"device space: {used} bytes allocated for {expected} bytes of objects (block-rounded); baseline restored after deleting: {!workload.Violations.Any(v => v.StartsWith("space", StringComparison.Ordinal))}");
        Log($"lost: {lost}; violations: {workload.Violations.Count}");
        foreach (var violation in workload.Violations.Take(50))
        {
            Log("  VIOLATION " + violation);
        }

        Log($"total time {clock.Elapsed.TotalSeconds:F0} s");
        if (Environment.GetEnvironmentVariable("COMIO_FAULT_REPORT") is { Length: > 0 } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, report.ToString(), Ct);
        }

        Assert.True(workload.Violations.IsEmpty, report.ToString());
        Assert.True(operations > 100, $"Only {operations} operations ran.\n{report}");
    }

    private static string Format(IEnumerable<KeyValuePair<string, long>> counts) =>
        string.Join(", ", counts.Select(kv => $"{kv.Key[(kv.Key.IndexOf('.', StringComparison.Ordinal) + 1)..]} {kv.Value}"));

    private async Task<JsonElement> StatsAsync(string node)
    {
        using var http = NodeClient(node);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/internal/v1/stats", UriKind.Relative), Ct));
        return document.RootElement.Clone();
    }

    private async Task<List<string>> ScrubFindingsAsync(string node, string bucket)
    {
        using var http = NodeClient(node);
        using var response = await http.PostAsync(new Uri("/internal/v1/scrub", UriKind.Relative), null, Ct);
        response.EnsureSuccessStatusCode();
        using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return [.. summary.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("bucket").GetString() == bucket)
            .Select(f => f.ToString())];
    }

    private HttpClient NodeClient(string node)
    {
        var http = new HttpClient { BaseAddress = topology.App.GetEndpoint(node, "http"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-ComIO-Cluster-Secret", TopologyFixture.ClusterSecret);
        return http;
    }

    private static async Task<int> AbortUploadsAsync(Amazon.S3.IAmazonS3 s3, string bucket)
    {
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket }, Ct);
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            await s3.AbortMultipartUploadAsync(bucket, upload.Key, upload.UploadId, Ct);
        }

        return uploads.MultipartUploads?.Count ?? 0;
    }
}
