using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

public static class ConfigurationFileExtensions
{
    /// <summary>Environment variable naming a YAML configuration file shared by all ComIO services.</summary>
    public const string ConfigFileVariable = "COMIO_CONFIG";

    /// <summary>
    /// Adds the YAML file named by <c>--config</c> or <c>COMIO_CONFIG</c>, if any, above appsettings.json and below
    /// environment variables and the command line, so both still override it. A named file that does not exist fails start-up.
    /// </summary>
    public static TBuilder AddComIOConfigurationFile<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var path = builder.Configuration["config"] ?? Environment.GetEnvironmentVariable(ConfigFileVariable);
        if (string.IsNullOrWhiteSpace(path))
        {
            return builder;
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Configuration file '{path}' (from --config or {ConfigFileVariable}) does not exist.", path);
        }

        // The YAML format uses snake_case keys (storage.block_size); .NET binding is case-insensitive but does not
        // ignore underscores, so keys are normalised (block_size -> blocksize binds to BlockSize).
        var yaml = new ConfigurationBuilder().AddYamlFile(Path.GetFullPath(path), optional: false).Build();
        var values = yaml.AsEnumerable()
            .Where(pair => pair.Value is not null)
            .Select(pair => new KeyValuePair<string, string?>(pair.Key.Replace("_", "", StringComparison.Ordinal), pair.Value));
        var sources = builder.Configuration.Sources;
        var position = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource
            or Microsoft.Extensions.Configuration.CommandLine.CommandLineConfigurationSource);
        sources.Insert(position < 0 ? sources.Count : position, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = values.ToList() });
        return builder;
    }
}
