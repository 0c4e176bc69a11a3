namespace ComIO.ServiceDefaults.Configuration;

/// <summary>
/// A YAML mapping whose keys are fixed. Keys are matched the way the .NET binder matches them after the file loader
/// drops underscores: case-insensitively and ignoring <c>_</c> (<c>block_size</c>, <c>blocksize</c>, <c>BlockSize</c>).
/// </summary>
internal sealed class SectionNode : ConfigurationNode
{
    private readonly Dictionary<string, ConfigurationNode> _children = new(StringComparer.Ordinal);

    /// <param name="children">Keys as documented (snake_case) and their schema.</param>
    public SectionNode(params (string Key, ConfigurationNode Node)[] children)
    {
        Keys = children.Select(c => c.Key).ToArray();
        foreach (var (key, node) in children)
        {
            _children.Add(Normalize(key), node);
        }
    }

    /// <summary>The documented key names, in declaration order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Keys that must be present (with a value) whenever the section is (e.g. a device's <c>path</c>).</summary>
    public IReadOnlyList<string> RequiredKeys { get; private init; } = [];

    /// <summary>A copy of this section in which <paramref name="keys"/> are required.</summary>
    public SectionNode Requiring(params string[] keys)
    {
        var copy = new SectionNode(Keys.Select(k => (k, _children[Normalize(k)])).ToArray()) { RequiredKeys = keys };
        return copy;
    }

    public override string Expected => "a section (key: value lines)";

    public ConfigurationNode? Find(string key) => _children.GetValueOrDefault(Normalize(key));

    public static string Normalize(string key) => key.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
}
