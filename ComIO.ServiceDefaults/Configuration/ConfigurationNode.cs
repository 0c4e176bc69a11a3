namespace ComIO.ServiceDefaults.Configuration;

/// <summary>
/// One node of the configuration file's schema (<see cref="ConfigurationSchema"/>): a section of known keys, a list,
/// a map of free-form keys, or a single value.
/// </summary>
internal abstract class ConfigurationNode
{
    /// <summary>What a value of this node looks like, for "expected …" messages.</summary>
    public abstract string Expected { get; }
}
