using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ComIO.Cli.Server;

/// <summary>
/// The seed configuration keys only the single-process server reads (the services ignore them): <c>server.*</c>,
/// <c>auth.enabled</c>, <c>replication.*</c> and <c>logging.*</c>, validated with messages naming the key. The
/// <c>storage</c>, <c>auth</c> keys and everything else are bound by the embedded services themselves.
/// </summary>
public sealed class ServerSettings
{
    public string Host { get; private init; } = "0.0.0.0";

    public int Port { get; private init; } = 8080;

    /// <summary>Time allowed to receive a request's headers (Kestrel <c>RequestHeadersTimeout</c>).</summary>
    public TimeSpan? ReadTimeout { get; private init; }

    /// <summary>Grace period before a response slower than 240 B/s is aborted (Kestrel <c>MinResponseDataRate</c>).</summary>
    public TimeSpan? WriteTimeout { get; private init; }

    public bool ReplicationEnabled { get; private init; }

    public IReadOnlyList<string> ReplicationNodes { get; private init; } = [];

    /// <summary>Destination sites by name: <c>replication.sites</c>, else the seed's <c>replication.nodes</c> as peer1, peer2, ….</summary>
    public IReadOnlyDictionary<string, string> ReplicationSites { get; private init; } = new Dictionary<string, string>();

    public LogLevel LogLevel { get; private init; } = LogLevel.Information;

    /// <summary><c>json</c> (structured, one object per line, the services' default) or <c>text</c>.</summary>
    public string LogFormat { get; private init; } = "json";

    /// <summary>Reads and validates; throws <see cref="FormatException"/> naming the first invalid key.</summary>
    public static ServerSettings Read(IConfiguration configuration)
    {
        var host = configuration["Server:Host"];
        var port = 8080;
        if (configuration["Server:Port"] is { Length: > 0 } portText
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 0 or > 65535))
        {
            throw new FormatException($"server.port: '{portText}' is not a TCP port (0-65535)");
        }

        if (configuration["Auth:Enabled"] is { Length: > 0 } enabledText)
        {
            if (!bool.TryParse(enabledText, out var enabled))
            {
                throw new FormatException($"auth.enabled: '{enabledText}' is not true or false");
            }

            if (!enabled)
            {
                throw new FormatException("auth.enabled: false is not supported; ComIO always authenticates requests (SigV4) and denies anonymous access");
            }
        }

        var replicationEnabled = false;
        if (configuration["Replication:Enabled"] is { Length: > 0 } replicationText && !bool.TryParse(replicationText, out replicationEnabled))
        {
            throw new FormatException($"replication.enabled: '{replicationText}' is not true or false");
        }

        if (configuration["Replication:SyncInterval"] is { Length: > 0 } interval)
        {
            Durations.Parse("replication.sync_interval", interval);
        }

        var level = configuration["Logging:Level"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "info" or "information" => LogLevel.Information,
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "warn" or "warning" => LogLevel.Warning,
            "error" => LogLevel.Error,
            "fatal" or "critical" => LogLevel.Critical,
            var other => throw new FormatException($"logging.level: '{other}' is not one of debug, info, warn, error"),
        };
        var format = configuration["Logging:Format"]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "json" => "json",
            "text" or "console" => "text",
            var other => throw new FormatException($"logging.format: '{other}' is not json or text"),
        };

        return new ServerSettings
        {
            Host = string.IsNullOrWhiteSpace(host) ? "0.0.0.0" : host.Trim(),
            Port = port,
            ReadTimeout = configuration["Server:ReadTimeout"] is { Length: > 0 } read ? Durations.Parse("server.read_timeout", read) : null,
            WriteTimeout = configuration["Server:WriteTimeout"] is { Length: > 0 } write ? Durations.Parse("server.write_timeout", write) : null,
            ReplicationEnabled = replicationEnabled,
            ReplicationNodes = [.. configuration.GetSection("Replication:Nodes").GetChildren().Select(n => n["Address"] ?? "").Where(a => a.Length > 0)],
            ReplicationSites = ReadReplicationSites(configuration),
            LogLevel = level,
            LogFormat = format,
        };
    }

    private static Dictionary<string, string> ReadReplicationSites(IConfiguration configuration)
    {
        var sites = configuration.GetSection("Replication:Sites").GetChildren()
            .Where(s => s["Endpoint"] is { Length: > 0 })
            .ToDictionary(s => s.Key, s => s["Endpoint"]!, StringComparer.Ordinal);
        if (sites.Count == 0)
        {
            var peer = 0;
            foreach (var address in configuration.GetSection("Replication:Nodes").GetChildren().Select(n => n["Address"]).Where(a => a is { Length: > 0 }))
            {
                sites[$"peer{++peer}"] = address!;
            }
        }

        return sites;
    }
}
