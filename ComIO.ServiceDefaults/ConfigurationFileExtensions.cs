using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

public static class ConfigurationFileExtensions
{
    /// <summary>Environment variable naming a YAML configuration file shared by all ComIO services.</summary>
    public const string ConfigFileVariable = "COMIO_CONFIG";

    /// <summary>
    /// Adds the YAML file named by <c>--config</c> or <c>COMIO_CONFIG</c>, if any, below environment variables and the
    /// command line so both still override it. A named file that does not exist fails start-up.
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

        var sources = builder.Configuration.Sources;
        var yaml = new ConfigurationBuilder().AddYamlFile(Path.GetFullPath(path), optional: false).Sources[0];
        sources.Insert(Math.Min(1, sources.Count), yaml);
        return builder;
    }
}
