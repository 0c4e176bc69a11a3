using ComIO.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;

namespace Microsoft.Extensions.Hosting;

public static class ConfigurationFileExtensions
{
    /// <summary>Environment variable naming a YAML configuration file shared by all ComIO services.</summary>
    public const string ConfigFileVariable = "COMIO_CONFIG";

    /// <summary>
    /// Adds the YAML file named by <c>--config</c> or <c>COMIO_CONFIG</c>, if any, above appsettings.json and below
    /// environment variables and the command line, so both still override it. A named file that does not exist, or one
    /// that fails <see cref="ConfigurationFileValidator"/> (unknown key, invalid value), fails start-up with one line
    /// (exit code 78 through <see cref="ConfigurationErrors"/>).
    /// </summary>
    public static TBuilder AddComIOConfigurationFile<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        ConfigurationErrors.ExitCleanlyOnInvalidConfiguration();
        if (builder.Configuration.GetComIOConfigurationFilePath() is { } path)
        {
            builder.Configuration.AddComIOConfigurationFile(path);
        }

        return builder;
    }

    /// <summary>The file named by <c>--config</c> (the <c>config</c> key) or <c>COMIO_CONFIG</c>, or <c>null</c>.</summary>
    public static string? GetComIOConfigurationFilePath(this IConfiguration configuration)
    {
        var path = configuration["config"] ?? Environment.GetEnvironmentVariable(ConfigFileVariable);
        return string.IsNullOrWhiteSpace(path) ? null : path;
    }

    /// <summary>
    /// Validates the YAML file at <paramref name="path"/> and inserts its values (snake_case keys with underscores
    /// dropped, so <c>block_size</c> binds to <c>BlockSize</c>) before the environment-variable and command-line sources.
    /// Throws <see cref="FileNotFoundException"/> or <see cref="InvalidConfigurationException"/> (<c>file:line: key: message</c>).
    /// </summary>
    public static IConfigurationBuilder AddComIOConfigurationFile(this IConfigurationBuilder configuration, string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Configuration file '{path}' (from --config or {ConfigFileVariable}) does not exist.", path);
        }

        ConfigurationFileValidator.Validate(path);

        // .NET binding is case-insensitive but does not ignore underscores, so keys are normalised.
        var yaml = new ConfigurationBuilder().AddYamlFile(Path.GetFullPath(path), optional: false).Build();
        var values = yaml.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => new KeyValuePair<string, string?>(pair.Key.Replace("_", "", StringComparison.Ordinal), pair.Value));
        var sources = configuration.Sources;
        var position = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource or CommandLineConfigurationSource);
        sources.Insert(position < 0 ? sources.Count : position, new MemoryConfigurationSource { InitialData = values.ToList() });
        return configuration;
    }
}
