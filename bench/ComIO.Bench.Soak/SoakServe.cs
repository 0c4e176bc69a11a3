using System.Globalization;
using ComIO.Bench.S3;

namespace ComIO.Bench.Soak;

/// <summary>
/// Runs one ComIO service (<c>--role node|api --url http://127.0.0.1:PORT</c>) as a process of its own, configured from
/// environment variables exactly like a deployed service and composed by the same code (<see cref="ComIOSite"/>).
/// Prints <c>ready</c> on stdout once Kestrel listens, then every two seconds a line
/// <c>gc HEAP_BYTES COMMITTED_BYTES GEN2_COUNT</c> (the managed heap as the runtime sees it, which /proc cannot show);
/// runs until terminated or until stdin closes (so it never outlives the soak driver).
/// </summary>
internal static class SoakServe
{
    public static async Task RunAsync(BenchArguments arguments)
    {
        var role = arguments.Required("role");
        var url = arguments.Required("url");
        var settings = new Dictionary<string, string?>();
        await using var app = role switch
        {
            "node" => ComIOSite.BuildNode(settings, url),
            "api" => ComIOSite.BuildApi(settings, url),
            _ => throw new ArgumentException($"Unknown role '{role}'."),
        };
        await app.StartAsync();
        Console.Out.WriteLine("ready");
        ReportGc();
        using var stop = new CancellationTokenSource();
        var gcReporter = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            {
                ReportGc();
            }
        });
        var stdinClosed = Task.Run(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (stdin.Read(buffer) > 0)
            {
            }
        });
        await Task.WhenAny(stdinClosed, app.WaitForShutdownAsync());
        await stop.CancelAsync();
        try
        {
            await gcReporter;
        }
        catch (OperationCanceledException)
        {
        }

        await app.StopAsync();
    }

    private static void ReportGc()
    {
        var info = GC.GetGCMemoryInfo();
        Console.Out.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"gc {GC.GetTotalMemory(forceFullCollection: false)} {info.TotalCommittedBytes} {GC.CollectionCount(2)}"));
        Console.Out.Flush();
    }
}
