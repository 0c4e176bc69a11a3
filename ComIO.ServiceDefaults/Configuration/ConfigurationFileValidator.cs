using Microsoft.Extensions.Hosting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ComIO.ServiceDefaults.Configuration;

/// <summary>
/// Checks a ComIO YAML configuration file against <see cref="ConfigurationSchema"/> before it is loaded: unknown keys,
/// values of the wrong shape (a list where a value belongs) and invalid values (ports, booleans, enums, durations,
/// URLs) are reported as <c>file:line: key: message</c>, with the line of the offending key or value and the key as
/// written (<c>storage.devices[0].type</c>). Only the first problem is reported, so start-up fails with one line.
/// Stateless and thread-safe.
/// </summary>
public static class ConfigurationFileValidator
{
    /// <summary>Validates the file at <paramref name="path"/>; throws <see cref="InvalidConfigurationException"/> on the first problem.</summary>
    public static void Validate(string path)
    {
        var error = Check(path, File.ReadAllText(path));
        if (error is not null)
        {
            throw new InvalidConfigurationException(error);
        }
    }

    /// <summary>Returns <c>null</c> when <paramref name="yaml"/> is valid, else one line <c>{fileName}:{line}: {key}: {message}</c>.</summary>
    public static string? Check(string fileName, string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            var reason = (ex.InnerException as YamlException ?? ex).Message;
            var close = reason.IndexOf("): ", StringComparison.Ordinal);
            return $"{fileName}:{LineOf(ex)}: not valid YAML: {(close >= 0 ? reason[(close + 3)..] : reason)}";
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            return $"{fileName}:{LineOf(stream.Documents[1].RootNode)}: only one YAML document is allowed";
        }

        var root = stream.Documents[0].RootNode;
        return IsNull(root) ? null : Walk(fileName, root, ConfigurationSchema.Root, "");
    }

    private static string? Walk(string fileName, YamlNode node, ConfigurationNode schema, string key)
    {
        string Error(YamlNode at, string atKey, string message) =>
            $"{fileName}:{LineOf(at)}: {(atKey.Length == 0 ? "" : atKey + ": ")}{message}";

        if (schema is not ValueNode && IsNull(node))
        {
            return null; // an empty section or list: unset
        }

        switch (schema)
        {
            case SectionNode section:
                {
                    if (node is not YamlMappingNode mapping)
                    {
                        return Error(node, key, $"expected {section.Expected}, found {Describe(node)}");
                    }

                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var (keyNode, valueNode) in mapping.Children)
                    {
                        if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
                        {
                            return Error(keyNode, key, "keys must be plain names");
                        }

                        var childKey = key.Length == 0 ? name : $"{key}.{name}";
                        var child = section.Find(name);
                        if (child is null)
                        {
                            var known = string.Join(", ", section.Keys);
                            return Error(keyNode, childKey, key.Length == 0
                                ? $"unknown key (top-level sections: {known})"
                                : $"unknown key ({key} accepts: {known})");
                        }

                        if (!seen.Add(SectionNode.Normalize(name)))
                        {
                            return Error(keyNode, childKey, "set twice");
                        }

                        if (Walk(fileName, valueNode, child, childKey) is { } error)
                        {
                            return error;
                        }
                    }

                    foreach (var required in section.RequiredKeys)
                    {
                        var present = mapping.Children.FirstOrDefault(c =>
                            c.Key is YamlScalarNode { Value: { } name } && SectionNode.Normalize(name) == SectionNode.Normalize(required));
                        if (present.Value is null || IsNull(present.Value))
                        {
                            return Error(present.Value ?? mapping, $"{key}.{required}", "required, but not set");
                        }
                    }

                    return null;
                }

            case ListNode list:
                {
                    if (node is not YamlSequenceNode sequence)
                    {
                        return Error(node, key, $"expected {list.Expected} (- item lines or [a, b]), found {Describe(node)}");
                    }

                    for (var i = 0; i < sequence.Children.Count; i++)
                    {
                        if (Walk(fileName, sequence.Children[i], list.Item, $"{key}[{i}]") is { } error)
                        {
                            return error;
                        }
                    }

                    return null;
                }

            case MapNode map:
                {
                    if (node is not YamlMappingNode mapping)
                    {
                        return Error(node, key, $"expected {map.Expected}, found {Describe(node)}");
                    }

                    foreach (var (keyNode, valueNode) in mapping.Children)
                    {
                        if (keyNode is not YamlScalarNode { Value: { Length: > 0 } name })
                        {
                            return Error(keyNode, key, "keys must be plain names");
                        }

                        if (Walk(fileName, valueNode, map.Value, $"{key}.{name}") is { } error)
                        {
                            return error;
                        }
                    }

                    return null;
                }

            case ValueNode value:
                {
                    if (node is not YamlScalarNode scalar)
                    {
                        return Error(node, key, $"expected {value.Expected}, found {Describe(node)}");
                    }

                    return IsNull(scalar) || value.Check(scalar.Value!) is not { } message ? null : Error(node, key, message);
                }

            default:
                throw new InvalidOperationException($"Unknown schema node {schema.GetType().Name}.");
        }
    }

    /// <summary>
    /// The 1-based line of a node's or exception's <c>Start</c> mark. Read by reflection on purpose: YamlDotNet 13 (used by
    /// the services) has <c>Mark</c> as a class with an <c>int</c> line, 16+ (which Aspire.Hosting brings into the AppHost)
    /// as a struct with a <c>long</c> line, so a compiled property access would fail with MissingMethodException in one of them.
    /// </summary>
    private static long LineOf(object owner)
    {
        var start = owner.GetType().GetProperty("Start")?.GetValue(owner);
        var line = start?.GetType().GetProperty("Line")?.GetValue(start);
        return line is null ? 0 : Convert.ToInt64(line, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An empty value, <c>~</c> or <c>null</c> (unquoted): the key is present but unset.</summary>
    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a section",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "something else",
    };
}
