using ComIO.ServiceDefaults.Configuration;

namespace ComIO.Cli.Server;

/// <summary>
/// Parses the configuration file's durations: Go style (<c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>250ms</c>), plain seconds
/// (<c>30</c>) or .NET <c>hh:mm:ss</c>. Errors name the configuration key. The same parser the file validator uses.
/// </summary>
public static class Durations
{
    public static TimeSpan Parse(string key, string text) => ConfigurationDurations.Parse(key, text);
}
