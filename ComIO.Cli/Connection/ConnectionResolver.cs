using Amazon.Runtime;
using Amazon.S3;
using ComIO.Cli.Output;

namespace ComIO.Cli.Connection;

/// <summary>Resolves connection settings (flags, then environment, then profile file, then defaults) and builds S3 clients.</summary>
public static class ConnectionResolver
{
    public const string DefaultEndpoint = "http://localhost:8080";
    public const string DefaultRegion = "us-east-1";

    public static ConnectionSettings Resolve(ConnectionOptions? options, ProfileStore profile)
    {
        var file = profile.Read();
        return new ConnectionSettings(
            Pick(options?.Endpoint, ["COMIO_ENDPOINT"], file, "endpoint", DefaultEndpoint),
            Pick(options?.AccessKey, ["AWS_ACCESS_KEY_ID"], file, "access_key", null),
            Pick(options?.SecretKey, ["AWS_SECRET_ACCESS_KEY"], file, "secret_key", null),
            Pick(options?.Region, ["AWS_DEFAULT_REGION", "AWS_REGION"], file, "region", DefaultRegion));
    }

    public static AmazonS3Client CreateClient(ConnectionOptions options)
    {
        var settings = Resolve(options, new ProfileStore());
        var uri = ParseEndpoint(settings.Endpoint.Value!);
        RequireCredentials(settings);
        var config = new AmazonS3Config
        {
            ServiceURL = uri.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = settings.Region.Value,
            Timeout = TimeSpan.FromMinutes(5),
        };
        return new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey.Value, settings.SecretKey.Value), config);
    }

    /// <summary>Parses an http(s) endpoint URL or fails with a usage error.</summary>
    public static Uri ParseEndpoint(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliException($"invalid endpoint '{endpoint}' (expected http://host:port or https://host:port)", ExitCodes.Usage);
        }

        return uri;
    }

    /// <summary>Fails with a usage error unless both the access key and the secret are set.</summary>
    public static void RequireCredentials(ConnectionSettings settings)
    {
        if (string.IsNullOrEmpty(settings.AccessKey.Value) || string.IsNullOrEmpty(settings.SecretKey.Value))
        {
            throw new CliException(
                "no credentials: pass --access-key/--secret-key, set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `comio config set access_key …`",
                ExitCodes.Usage);
        }
    }

    private static SettingValue Pick(string? flag, string[] envNames, IReadOnlyDictionary<string, string> file, string fileKey, string? fallback)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return new SettingValue(flag, "flag");
        }

        foreach (var name in envNames)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                return new SettingValue(value, "env " + name);
            }
        }

        if (file.TryGetValue(fileKey, out var fromFile) && fromFile.Length > 0)
        {
            return new SettingValue(fromFile, "profile");
        }

        return new SettingValue(fallback, fallback is null ? "unset" : "default");
    }
}
