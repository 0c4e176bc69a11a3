using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Aspire.Hosting.Testing;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>Flips one byte of an object's data in a node's device image and checks it is never served.</summary>
[Collection(TopologyCollection.Name)]
public sealed class BitRotTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Finds the first occurrence of a marker in a device image and flips one byte of it (plain file I/O: the engine's
    // advisory lock does not stop it, which is exactly the failure being simulated).
    private const string FlipScript = """
        import sys, os
        path, marker = sys.argv[1], sys.argv[2].encode()
        with open(path, "r+b") as f:
            offset, block = 0, 16 * 1024 * 1024
            tail = b""
            while True:
                data = f.read(block)
                if not data:
                    print(-1); break
                hit = (tail + data).find(marker)
                if hit >= 0:
                    at = offset - len(tail) + hit + 5
                    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x20])); f.flush(); os.fsync(f.fileno())
                    print(at); break
                tail = data[-len(marker):]
                offset += len(data)
        """;

    [Fact]
    public async Task GetObject_FailsAndScrubReports_WhenDeviceByteFlipped()
    {
        using var s3 = topology.CreateClient();
        var bucket = "bitrot-" + Guid.NewGuid().ToString("N")[..10];
        var marker = "BITROT-" + Guid.NewGuid().ToString("N");
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(marker + "|", 200_000 / (marker.Length + 1))));
        await s3.PutBucketAsync(bucket, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "victim.bin", InputStream = new MemoryStream(data) }, Ct);

        string? node = null;
        foreach (var candidate in new[] { "node1", "node2" })
        {
            var image = Path.Combine(topology.DataDirectory, TopologyFixture.Site, $"{TopologyFixture.Site}-{candidate}", "device.img");
            if (await FlipAsync(image, marker) >= 0)
            {
                node = $"{TopologyFixture.Site}-{candidate}";
                break;
            }
        }

        Assert.NotNull(node);
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "victim.bin", Ct));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);

        using var http = new HttpClient { BaseAddress = topology.App.GetEndpoint(node, "http") };
        using var scrub = new HttpRequestMessage(HttpMethod.Post, "/internal/v1/scrub");
        scrub.Headers.Add("X-ComIO-Cluster-Secret", TopologyFixture.ClusterSecret);
        using var response = await http.SendAsync(scrub, Ct);
        response.EnsureSuccessStatusCode();
        using var summary = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var findings = summary.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("bucket").GetString() == bucket && f.GetProperty("key").GetString() == "victim.bin");

        var metrics = await http.GetStringAsync("/metrics", Ct);
        var failures = metrics.Split('\n').First(l => l.StartsWith("comio_storage_checksum_failures", StringComparison.Ordinal));
        Assert.True(double.Parse(failures.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) >= 1, failures);

        await s3.DeleteObjectAsync(bucket, "victim.bin", Ct);
        await s3.DeleteBucketAsync(bucket, Ct);
    }

    private static async Task<long> FlipAsync(string image, string marker)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(FlipScript);
        start.ArgumentList.Add(image);
        start.ArgumentList.Add(marker);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
        return long.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
