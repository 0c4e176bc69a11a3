namespace ComIO.Cli.Output;

/// <summary>Process exit codes of the CLI.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operation failed (S3 error, network error, local I/O error).</summary>
    public const int Failure = 1;

    /// <summary>The command line or configuration is invalid.</summary>
    public const int Usage = 2;

    /// <summary>The server's configuration file is invalid (EX_CONFIG, as the services use).</summary>
    public const int Configuration = 78;
}
