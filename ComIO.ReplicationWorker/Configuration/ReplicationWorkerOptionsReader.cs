using System.Globalization;
using ComIO.ServiceDefaults.Configuration;

namespace ComIO.ReplicationWorker.Configuration;

/// <summary>
/// Reads <see cref="ReplicationWorkerOptions"/> from the <c>Replication</c> section by hand rather than with the
/// binder, so durations accept the configuration file's format (<c>500ms</c>, <c>30s</c>, <c>5m</c>, plain seconds or
/// <c>hh:mm:ss</c>) and every unparsable value fails with <see cref="InvalidConfigurationException"/> naming its key.
/// Unset keys keep their defaults.
/// </summary>
public static class ReplicationWorkerOptionsReader
{
    public static void Read(IConfiguration configuration, ReplicationWorkerOptions options)
    {
        var section = configuration.GetSection(ReplicationWorkerOptions.SectionName);
        if (Value(section, "SourceEndpoint") is { } source)
        {
            options.SourceEndpoint = ParseUrl(section, "SourceEndpoint", source);
        }

        options.AccessKey = Value(section, "AccessKey") ?? options.AccessKey;
        options.SecretKey = Value(section, "SecretKey") ?? options.SecretKey;
        options.Region = Value(section, "Region") ?? options.Region;
        options.ConsumerGroup = Value(section, "ConsumerGroup") ?? options.ConsumerGroup;
        options.Concurrency = ReadInt(section, "Concurrency", options.Concurrency);
        options.MaxAttempts = ReadInt(section, "MaxAttempts", options.MaxAttempts);
        options.PartConcurrency = ReadInt(section, "PartConcurrency", options.PartConcurrency);
        options.InitialBackoff = ReadDuration(section, "InitialBackoff", options.InitialBackoff);
        options.MaxBackoff = ReadDuration(section, "MaxBackoff", options.MaxBackoff);
        options.MinRetryTime = ReadDuration(section, "MinRetryTime", options.MinRetryTime);
        options.ClaimIdleTime = ReadDuration(section, "ClaimIdleTime", options.ClaimIdleTime);
        options.MultipartThreshold = ReadLong(section, "MultipartThreshold", options.MultipartThreshold);
        options.PartSize = ReadLong(section, "PartSize", options.PartSize);

        foreach (var site in section.GetSection("Sites").GetChildren())
        {
            var endpoint = Value(site, "Endpoint")
                ?? throw new InvalidConfigurationException($"{site.Path}:Endpoint is required (the site's S3 endpoint URL).");
            options.Sites[site.Key] = new SiteEndpointOptions { Endpoint = ParseUrl(site, "Endpoint", endpoint) };
        }
    }

    private static string? Value(IConfiguration section, string key) =>
        string.IsNullOrWhiteSpace(section[key]) ? null : section[key]!.Trim();

    private static string KeyPath(IConfiguration section, string key) =>
        section is IConfigurationSection s ? $"{s.Path}:{key}" : key;

    private static Uri ParseUrl(IConfiguration section, string key, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidConfigurationException($"{KeyPath(section, key)}: '{text}' is not an absolute http:// or https:// URL");

    private static int ReadInt(IConfiguration section, string key, int fallback) =>
        Value(section, key) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidConfigurationException($"{KeyPath(section, key)}: '{text}' is not a whole number");

    private static long ReadLong(IConfiguration section, string key, long fallback) =>
        Value(section, key) is not { } text ? fallback
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw new InvalidConfigurationException($"{KeyPath(section, key)}: '{text}' is not a whole number");

    private static TimeSpan ReadDuration(IConfiguration section, string key, TimeSpan fallback) =>
        Value(section, key) is not { } text ? fallback
        : ConfigurationDurations.TryParse(text, out var value, out var error) ? value
        : throw new InvalidConfigurationException($"{KeyPath(section, key)}: {error}");
}
