using System.Diagnostics;
using System.Globalization;
using ComIO.Testing;

namespace ComIO.Bench.S3;

/// <summary>
/// Layer 4, memory: the site as three processes (two storage nodes and the API service, each <c>serve</c> in a child
/// process configured by environment variables) and this process as the client. After a 4 MiB warm-up PUT/GET, every
/// process's peak RSS (VmHWM) is reset (<c>/proc/PID/clear_refs</c>), one <c>--size</c> object is PUT from a generated
/// stream (UNSIGNED-PAYLOAD, Content-Length) and then read back; VmHWM of each process is read after the PUT and after
/// the GET. The object lands on one node (placement); the other node's figure is its idle footprint.
/// </summary>
internal static class RssBenchmark
{
    private const string Bucket = "rss";

    public static async Task RunAsync(BenchArguments arguments, ResultFile output)
    {
        var root = arguments.Required("root");
        var size = arguments.Size("size", 1L << 30);
        var deviceBytes = size + (512L << 20);
        var children = new List<(string Name, Process Process)>();
        try
        {
            var apiEnv = ComIOSite.ApiSettings();
            for (var i = 0; i < 2; i++)
            {
                var id = $"node{i + 1}";
                var url = LoopbackPorts.FreeUrl();
                children.Add((id, Spawn("node", url, ComIOSite.NodeSettings(root, id, deviceBytes))));
                apiEnv[$"Cluster:Nodes:{i}"] = id;
                apiEnv[$"Cluster:NodeUrls:{id}"] = url;
            }

            var apiUrl = LoopbackPorts.FreeUrl();
            children.Add(("api", Spawn("api", apiUrl, apiEnv)));
            foreach (var (name, process) in children)
            {
                await WaitReadyAsync(name, process);
            }

            var signer = new SigV4Signer(ComIOSite.AccessKey, ComIOSite.SecretKey, ComIOSite.Region);
            using var client = new S3LoadClient(new Uri(apiUrl), signer);
            await client.CreateBucketAsync(Bucket, CancellationToken.None);
            var pattern = PatternStream.CreatePattern(1 << 20);
            var sink = new byte[256 * 1024];
            using (var warm = new PatternContent(pattern, 4 << 20, 1))
            {
                await client.PutAsync(Bucket, "warmup", warm, CancellationToken.None);
            }

            await client.GetAsync(Bucket, "warmup", sink, CancellationToken.None);
            await Task.Delay(500);
            var baseline = children.ToDictionary(c => c.Name, c => Status(c.Process.Id, "VmRSS:"));
            var reset = children.All(c => TryResetPeak(c.Process.Id)) & ProcessMemory.TryResetPeak();
            var clientBaseline = ProcessMemory.ResidentBytes();

            var started = Stopwatch.GetTimestamp();
            using (var body = new PatternContent(pattern, size, 2))
            {
                await client.PutAsync(Bucket, "large", body, CancellationToken.None);
            }

            var putSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var afterPut = children.ToDictionary(c => c.Name, c => Status(c.Process.Id, "VmHWM:"));
            var clientAfterPut = ProcessMemory.PeakResidentBytes();
            started = Stopwatch.GetTimestamp();
            var got = await client.GetAsync(Bucket, "large", sink, CancellationToken.None);
            var getSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (got != size)
            {
                throw new InvalidOperationException($"GET returned {got} bytes, expected {size}.");
            }

            foreach (var (name, process) in children)
            {
                output.Write(Row(name, size, baseline[name], afterPut[name], Status(process.Id, "VmHWM:"), reset, putSeconds, getSeconds));
            }

            output.Write(Row("client", size, clientBaseline, clientAfterPut, ProcessMemory.PeakResidentBytes(), reset, putSeconds, getSeconds));
        }
        finally
        {
            foreach (var (_, process) in children)
            {
                try
                {
                    process.StandardInput.Close();
                    if (!process.WaitForExit(5000))
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                }

                process.Dispose();
            }
        }
    }

    private static BenchResult Row(string process, long size, long baseline, long afterPut, long afterGet, bool reset, double putSeconds, double getSeconds)
    {
        var result = new BenchResult("rss");
        result.Note("process", process);
        result.Add("size", size);
        result.Add("hwm_reset", reset ? 1 : 0);
        result.Add("baseline_rss_mb", baseline / 1048576.0);
        result.Add("put_hwm_mb", afterPut / 1048576.0);
        result.Add("get_hwm_mb", afterGet / 1048576.0);
        result.Add("put_mb_s", size / putSeconds / 1e6);
        result.Add("get_mb_s", size / getSeconds / 1e6);
        return result;
    }

    private static Process Spawn(string role, string url, Dictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!, ["serve", "--role", role, "--url", url])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start the {role} process.");
    }

    private static async Task WaitReadyAsync(string name, Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line != "ready")
        {
            throw new InvalidOperationException($"{name} did not start (said '{line}', exited: {process.HasExited}).");
        }
    }

    private static bool TryResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Status(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return -1;
    }
}
