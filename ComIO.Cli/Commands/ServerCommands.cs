using Cocona;
using Cocona.Application;
using ComIO.Cli.Output;
using ComIO.Cli.Server;

namespace ComIO.Cli.Commands;

/// <summary><c>comio server --config config.yaml</c>: the S3 API and a storage node in one process (see <see cref="ComioServer"/>).</summary>
public sealed class ServerCommands(ICoconaAppContextAccessor context)
{
    [Command("server", Description = "Run the S3 API and a storage node on the configured devices in this process (like `minio server`)")]
    public Task<int> Server(
        [Option("config", ['c'], Description = "YAML configuration file (see configs/config.yaml.example); env COMIO_CONFIG")] string? config = null,
        [Option("format", Description = "Create and format device images that hold no ComIO superblock (never reformats a formatted device)")] bool format = false,
        [Option("verbose", Description = "Print full exception details on failure")] bool verbose = false) =>
        CommandRunner.RunAsync(verbose, async () =>
        {
            var path = config ?? Environment.GetEnvironmentVariable("COMIO_CONFIG");
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new CliException("pass --config config.yaml (or set COMIO_CONFIG)", ExitCodes.Usage);
            }

            await new ComioServer(path, format).RunAsync(context.Current?.CancellationToken ?? CancellationToken.None);
        });
}
