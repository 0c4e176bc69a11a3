using Cocona;

namespace ComIO.Cli.Connection;

/// <summary>Options every S3 command accepts: connection overrides and output verbosity.</summary>
public sealed class ConnectionOptions : ICommandParameterSet
{
    [Option("endpoint", Description = "S3 endpoint URL (env COMIO_ENDPOINT; default http://localhost:8080)")]
    [HasDefaultValue]
    public string? Endpoint { get; set; }

    [Option("access-key", Description = "Access key id (env AWS_ACCESS_KEY_ID)")]
    [HasDefaultValue]
    public string? AccessKey { get; set; }

    [Option("secret-key", Description = "Secret access key (env AWS_SECRET_ACCESS_KEY)")]
    [HasDefaultValue]
    public string? SecretKey { get; set; }

    [Option("region", Description = "Region (env AWS_DEFAULT_REGION / AWS_REGION; default us-east-1)")]
    [HasDefaultValue]
    public string? Region { get; set; }

    [Option("quiet", ['q'], Description = "No progress bars or informational output")]
    [HasDefaultValue]
    public bool Quiet { get; set; }

    [Option("verbose", Description = "Print full exception details on failure")]
    [HasDefaultValue]
    public bool Verbose { get; set; }
}
