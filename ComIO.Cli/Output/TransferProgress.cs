using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace ComIO.Cli.Output;

/// <summary>
/// Progress of transfers larger than <see cref="Threshold"/> on stderr, unless <c>--quiet</c>: a Spectre.Console progress
/// bar (throughput and ETA) on an interactive terminal; otherwise (stderr redirected to a file or pipe, e.g. CI logs)
/// one plain line at most every <see cref="PlainInterval"/> plus a final line, in the form
/// <c>put b/k: 512.0 MiB of 1.0 GiB (50%), 210.3 MiB/s, ETA 3s</c>.
/// </summary>
public static class TransferProgress
{
    public const long Threshold = 8L * 1024 * 1024;
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string description, long totalBytes, bool quiet, Func<Action<long>, Task> work)
    {
        if (quiet || totalBytes < Threshold)
        {
            await work(_ => { });
            return;
        }

        var console = Console.IsErrorRedirected ? null : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (console is null || !console.Profile.Capabilities.Interactive)
        {
            await RunPlainAsync(description, totalBytes, work);
            return;
        }

        await console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: totalBytes);
                await work(done => task.Value = Math.Min(done, totalBytes));
                task.Value = totalBytes;
            });
    }

    private static async Task RunPlainAsync(string description, long totalBytes, Func<Action<long>, Task> work)
    {
        var clock = Stopwatch.StartNew();
        var gate = new object();
        var lastPrint = TimeSpan.Zero;
        await work(done =>
        {
            lock (gate)
            {
                var now = clock.Elapsed;
                if (now - lastPrint < PlainInterval || done >= totalBytes)
                {
                    return;
                }

                lastPrint = now;
                Console.Error.WriteLine(Line(description, Math.Min(done, totalBytes), totalBytes, now));
            }
        });
        Console.Error.WriteLine(Line(description, totalBytes, totalBytes, clock.Elapsed) + $", done in {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
    }

    private static string Line(string description, long done, long total, TimeSpan elapsed)
    {
        var seconds = Math.Max(elapsed.TotalSeconds, 0.001);
        var rate = done / seconds;
        var percent = total == 0 ? 100 : done * 100 / total;
        var eta = rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        return $"{description}: {Sizes.Format(done)} of {Sizes.Format(total)} ({percent}%), {Sizes.Format((long)rate)}/s, ETA {(int)eta.TotalSeconds}s";
    }
}
