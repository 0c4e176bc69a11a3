namespace ComIO.AppHost.Topology;

/// <summary>
/// The topology the AppHost starts, bound from the <c>ComIO</c> configuration section (appsettings.json,
/// environment <c>ComIO__…</c> or command-line <c>--ComIO:…</c>); a YAML configuration file's top-level <c>sites</c>
/// list (see <see cref="TopologyConfiguration"/>) replaces <c>ComIO:Sites</c> when present.
/// </summary>
public sealed class TopologyOptions
{
    public const string SectionName = "ComIO";

    /// <summary>Folder holding device images, node metadata and Redis data; relative paths are relative to the AppHost project folder.</summary>
    public string DataDirectory { get; set; } = "../data";

    public List<SiteOptions> Sites { get; set; } = [];
}
