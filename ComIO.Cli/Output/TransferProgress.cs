using Spectre.Console;

namespace ComIO.Cli.Output;

/// <summary>
/// A Spectre.Console progress bar (throughput and ETA) on stderr for transfers larger than <see cref="Threshold"/>,
/// shown only when stderr is an interactive terminal and <c>--quiet</c> is not given.
/// </summary>
public static class TransferProgress
{
    public const long Threshold = 8L * 1024 * 1024;

    public static async Task RunAsync(string description, long totalBytes, bool quiet, Func<Action<long>, Task> work)
    {
        if (quiet || totalBytes < Threshold || Console.IsErrorRedirected)
        {
            await work(_ => { });
            return;
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            await work(_ => { });
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
}
