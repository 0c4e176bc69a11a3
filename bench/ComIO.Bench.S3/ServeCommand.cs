namespace ComIO.Bench.S3;

/// <summary>
/// Runs one ComIO service as a process of its own (<c>--role node|api --url http://127.0.0.1:PORT</c>), configured from
/// environment variables (<c>Cluster__Secret</c>, ...) exactly like a deployed service. Prints <c>ready</c> on stdout once
/// Kestrel listens, and runs until terminated or until stdin closes (so it never outlives its parent).
/// </summary>
internal static class ServeCommand
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
        Console.Out.Flush();
        var stdinClosed = Task.Run(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (stdin.Read(buffer) > 0)
            {
            }
        });
        await Task.WhenAny(stdinClosed, app.WaitForShutdownAsync());
        await app.StopAsync();
    }
}
