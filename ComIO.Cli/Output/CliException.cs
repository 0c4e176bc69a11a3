namespace ComIO.Cli.Output;

/// <summary>A failure with a message meant for the user; printed as one line on stderr.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
