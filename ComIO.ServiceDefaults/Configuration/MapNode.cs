namespace ComIO.ServiceDefaults.Configuration;

/// <summary>A YAML mapping with free-form keys (node ids, logger categories) whose values all follow <see cref="Value"/>.</summary>
internal sealed class MapNode(ConfigurationNode value) : ConfigurationNode
{
    public ConfigurationNode Value { get; } = value;

    public override string Expected => "a section (name: value lines)";
}
