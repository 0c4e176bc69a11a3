namespace ComIO.ServiceDefaults.Configuration;

/// <summary>A YAML sequence whose items all follow <see cref="Item"/>.</summary>
internal sealed class ListNode(ConfigurationNode item) : ConfigurationNode
{
    public ConfigurationNode Item { get; } = item;

    public override string Expected => "a list";
}
