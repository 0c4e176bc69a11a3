using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ComIO.AppHost.Topology;

/// <summary>
/// Reads the topology. Without a configuration file: the <c>ComIO</c> section (appsettings.json, <c>ComIO__…</c>
/// variables). With <c>--config file.yaml</c> or <c>COMIO_CONFIG=file.yaml</c>: the same YAML file the services and
/// <c>comio server</c> read, validated by the same schema (<c>file:line: key: message</c>, exit code 78); its
/// <c>sites</c> list replaces <c>ComIO:Sites</c>, and its <c>auth.admin_access_key</c>, <c>auth.admin_secret_key</c>,
/// <c>auth.secret_encryption_key</c> and <c>cluster.secret</c> replace the corresponding AppHost parameters.
/// </summary>
public static class TopologyConfiguration
{
    /// <summary>Loads the file named by <c>--config</c>/<c>COMIO_CONFIG</c> (if any) into <paramref name="configuration"/> and returns the topology.</summary>
    public static TopologyOptions Load(ConfigurationManager configuration)
    {
        if (configuration.GetComIOConfigurationFilePath() is { } path)
        {
            configuration.AddComIOConfigurationFile(path);
            CopyToParameter(configuration, "Auth:AdminAccessKey", "admin-access-key");
            CopyToParameter(configuration, "Auth:AdminSecretKey", "admin-secret-key");
            CopyToParameter(configuration, "Auth:SecretEncryptionKey", "secret-encryption-key");
            CopyToParameter(configuration, "Cluster:Secret", "cluster-secret");
        }

        return Read(configuration);
    }

    /// <summary>The topology from <paramref name="configuration"/>: top-level <c>Sites</c> (the YAML <c>sites</c> list) if present, else <c>ComIO:Sites</c>; one default site when none.</summary>
    public static TopologyOptions Read(IConfiguration configuration)
    {
        var topology = configuration.GetSection(TopologyOptions.SectionName).Get<TopologyOptions>() ?? new TopologyOptions();
        var sites = configuration.GetSection("Sites");
        if (sites.Exists())
        {
            topology.Sites = sites.Get<List<SiteOptions>>() ?? [];
        }

        if (topology.Sites.Count == 0)
        {
            topology.Sites.Add(new SiteOptions());
        }

        for (var i = 1; i < topology.Sites.Count; i++)
        {
            var site = topology.Sites[i];
            for (var j = 0; j < i; j++)
            {
                var other = topology.Sites[j];
                if (other.Name == site.Name)
                {
                    throw new InvalidConfigurationException($"sites[{i}].name: '{site.Name}' is already the name of sites[{j}]");
                }

                int[] ports = [other.S3Port, other.RedisPort];
                if (ports.Contains(site.S3Port) || ports.Contains(site.RedisPort))
                {
                    throw new InvalidConfigurationException(
                        $"sites[{i}]: s3_port {site.S3Port} and redis_port {site.RedisPort} must differ from the ports of sites[{j}] ('{other.Name}')");
                }
            }
        }

        return topology;
    }

    private static void CopyToParameter(ConfigurationManager configuration, string key, string parameter)
    {
        if (configuration[key] is { Length: > 0 } value)
        {
            configuration[$"Parameters:{parameter}"] = value;
        }
    }
}
