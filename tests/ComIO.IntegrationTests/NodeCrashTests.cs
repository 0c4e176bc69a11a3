using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ComIO.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ComIO.IntegrationTests;

/// <summary>
/// Kills a storage node with SIGKILL in the middle of a stream of PUTs, starts it again, and checks that every
/// acknowledged object reads back byte-identical, nothing half-written is visible, and no device space leaked.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class NodeCrashTests(TopologyFixture topology)
{
    private const string Victim = $"{TopologyFixture.Site}-node1";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AcknowledgedPuts_SurviveKill9OfStorageNode_WithoutLeakingSpace()
    {
        using var s3 = topology.CreateClient();
        var bucket = "crash-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket, Ct);
        var usedBefore = await UsedBytesAsync(Victim);

        var acknowledged = new ConcurrentDictionary<string, byte[]>();
        var attempted = new ConcurrentDictionary<string, byte[]>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"w{w}/obj{i:D5}";
                var data = RandomNumberGenerator.GetBytes((i % 4) switch { 0 => 100, 1 => 40_000, 2 => 300_000, _ => 2_000_000 });
                attempted[key] = data;
                try
                {
                    await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, Ct);
                    acknowledged[key] = data;
                }
                catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or IOException or TaskCanceledException)
                {
                    await Task.Delay(50, Ct); // the node is down: not acknowledged, must not be half-visible later
                }
            }
        }, Ct)).ToArray();

        await WaitUntilAsync(() => acknowledged.Count >= 40, TimeSpan.FromMinutes(1));
        var pid = await NodeProcessIdAsync(Victim);
        Process.GetProcessById(pid).Kill(); // SIGKILL: no shutdown, no flush beyond what was acknowledged
        TestContext.Current.TestOutputHelper?.WriteLine($"killed {Victim} (pid {pid}) after {acknowledged.Count} acknowledged PUTs");
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        await StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        foreach (var (key, data) in acknowledged)
        {
            Assert.Equal(data, await ReadAsync(s3, bucket, key));
        }

        // Unacknowledged PUTs may or may not have committed, but a visible object is always whole.
        var listed = await ListAllAsync(s3, bucket);
        foreach (var key in listed)
        {
            Assert.True(attempted.ContainsKey(key), $"unexpected key {key}");
            Assert.Equal(attempted[key], await ReadAsync(s3, bucket, key));
        }

        Assert.Superset(acknowledged.Keys.ToHashSet(), listed.ToHashSet());

        foreach (var batch in listed.Chunk(500))
        {
            await s3.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = bucket, Objects = [.. batch.Select(k => new KeyVersion { Key = k })] }, Ct);
        }

        await s3.DeleteBucketAsync(bucket, Ct);
        Assert.Equal(usedBefore, await UsedBytesAsync(Victim));
    }

    /// <summary>
    /// Starts the killed node through the AppHost. A start that fails before the process runs (the launcher itself, not
    /// ComIO) is retried once.
    /// </summary>
    private async Task StartAgainAsync()
    {
        var commands = topology.App.Services.GetRequiredService<ResourceCommandService>();
        for (var attempt = 1; ; attempt++)
        {
            var started = await commands.ExecuteCommandAsync(Victim, KnownResourceCommands.StartCommand, Ct);
            Assert.True(started.Success, started.Message);
            try
            {
                await topology.App.ResourceNotifications.WaitForResourceHealthyAsync(Victim, Ct);
                return;
            }
            catch (DistributedApplicationException) when (attempt == 1)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{Victim} failed to start; retrying once");
            }
        }
    }

    /// <summary>
    /// The storage node's own process. Aspire starts projects through <c>dotnet run</c>, whose pid the resource reports;
    /// the service is its child, found through <c>/proc/{pid}/task/{pid}/children</c>.
    /// </summary>
    private async Task<int> NodeProcessIdAsync(string resource)
    {
        var running = await topology.App.ResourceNotifications.WaitForResourceAsync(
            resource, e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null), Ct);
        var launcher = Convert.ToInt32(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
        var children = (await File.ReadAllTextAsync($"/proc/{launcher}/task/{launcher}/children", Ct))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => int.Parse(c, CultureInfo.InvariantCulture))
            .Where(c => File.ReadAllText($"/proc/{c}/cmdline").Contains("ComIO.StorageNode", StringComparison.Ordinal))
            .ToList();
        return children.Count == 1 ? children[0] : launcher;
    }

    private async Task<long> UsedBytesAsync(string resource)
    {
        using var http = new HttpClient { BaseAddress = topology.App.GetEndpoint(resource, "http") };
        using var health = JsonDocument.Parse(await http.GetStringAsync("/health", Ct));
        var data = health.RootElement.GetProperty("checks").GetProperty("devices").GetProperty("data");
        return data.GetProperty("device0.used_bytes").GetInt64();
    }

    private static async Task<byte[]> ReadAsync(AmazonS3Client s3, string bucket, string key)
    {
        using var response = await s3.GetObjectAsync(bucket, key, Ct);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }

    private static async Task<List<string>> ListAllAsync(AmazonS3Client s3, string bucket)
    {
        var keys = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, ContinuationToken = token }, Ct);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(100, Ct);
        }
    }
}
