namespace ComIO.ServiceDefaults.Configuration;

/// <summary>
/// A single YAML scalar. <see cref="Check"/> returns <c>null</c> when the text is valid, otherwise the reason it is not
/// (without the key, which the validator prepends). An empty or null scalar means "unset" and is not checked.
/// </summary>
internal sealed class ValueNode(string expected, Func<string, string?> check) : ConfigurationNode
{
    public override string Expected { get; } = expected;

    public Func<string, string?> Check { get; } = check;
}
