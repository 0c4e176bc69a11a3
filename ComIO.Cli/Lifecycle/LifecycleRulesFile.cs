using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.S3.Model;
using ComIO.Cli.Output;

namespace ComIO.Cli.Lifecycle;

/// <summary>
/// Reads lifecycle rules from JSON (the <c>aws s3api put-bucket-lifecycle-configuration</c> shape:
/// <c>{"Rules":[{"ID","Status","Filter":{"Prefix"},"Expiration":{"Days"|"Date"},...}]}</c>) or S3 XML
/// (<c>&lt;LifecycleConfiguration&gt;&lt;Rule&gt;…</c>). Supported per rule: ID, Status, Prefix or Filter/Prefix,
/// Expiration (Days, Date, ExpiredObjectDeleteMarker), NoncurrentVersionExpiration/NoncurrentDays,
/// AbortIncompleteMultipartUpload/DaysAfterInitiation, Transition(s) (Days, StorageClass). Any other element is an error
/// naming it, so a rule is never silently dropped or weakened.
/// </summary>
public static class LifecycleRulesFile
{
    public static LifecycleConfiguration Parse(string text)
    {
        var trimmed = text.TrimStart();
        var rules = trimmed.StartsWith('<') ? FromXml(trimmed) : FromJson(trimmed);
        if (rules.Count == 0)
        {
            throw new CliException("lifecycle rules file: no rules");
        }

        return new LifecycleConfiguration { Rules = rules };
    }

    private static List<LifecycleRule> FromJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliException($"lifecycle rules file: invalid JSON ({ex.Message.ReplaceLineEndings(" ")})");
        }

        using (document)
        {
            var root = document.RootElement;
            var rules = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("Rules", out var r) ? r
                : throw new CliException("lifecycle rules file: expected {\"Rules\": [...]}");
            return [.. rules.EnumerateArray().Select(RuleFromJson)];
        }
    }

    private static LifecycleRule RuleFromJson(JsonElement element)
    {
        var rule = new LifecycleRule();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "ID":
                    rule.Id = value.GetString();
                    break;
                case "Status":
                    rule.Status = Status(value.GetString());
                    break;
                case "Prefix":
                    rule.Filter = new LifecycleFilter { Prefix = value.GetString() };
                    break;
                case "Filter":
                    rule.Filter = new LifecycleFilter { Prefix = Only(value, "Filter", "Prefix")?.GetString() ?? "" };
                    break;
                case "Expiration":
                    rule.Expiration = new LifecycleRuleExpiration();
                    foreach (var e in value.EnumerateObject())
                    {
                        switch (e.Name)
                        {
                            case "Days": rule.Expiration.Days = e.Value.GetInt32(); break;
                            case "Date": rule.Expiration.Date = DateTime.Parse(e.Value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal); break;
                            case "ExpiredObjectDeleteMarker": rule.Expiration.ExpiredObjectDeleteMarker = e.Value.GetBoolean(); break;
                            default: throw Unsupported("Expiration." + e.Name);
                        }
                    }

                    break;
                case "NoncurrentVersionExpiration":
                    rule.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = Only(value, property.Name, "NoncurrentDays")?.GetInt32() };
                    break;
                case "AbortIncompleteMultipartUpload":
                    rule.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = Only(value, property.Name, "DaysAfterInitiation")?.GetInt32() };
                    break;
                case "Transitions":
                    rule.Transitions = [.. value.EnumerateArray().Select(t => new LifecycleTransition
                    {
                        Days = t.TryGetProperty("Days", out var d) ? d.GetInt32() : null,
                        StorageClass = t.TryGetProperty("StorageClass", out var c) ? c.GetString() : null,
                    })];
                    break;
                default:
                    throw Unsupported(property.Name);
            }
        }

        return rule;
    }

    private static List<LifecycleRule> FromXml(string text)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new CliException($"lifecycle rules file: invalid XML ({ex.Message.ReplaceLineEndings(" ")})");
        }

        var root = document.Root ?? throw new CliException("lifecycle rules file: empty XML");
        return [.. root.Elements().Where(e => e.Name.LocalName == "Rule").Select(RuleFromXml)];
    }

    private static LifecycleRule RuleFromXml(XElement element)
    {
        var rule = new LifecycleRule();
        foreach (var child in element.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "ID":
                    rule.Id = child.Value;
                    break;
                case "Status":
                    rule.Status = Status(child.Value);
                    break;
                case "Prefix":
                    rule.Filter = new LifecycleFilter { Prefix = child.Value };
                    break;
                case "Filter":
                    rule.Filter = new LifecycleFilter { Prefix = OnlyXml(child, "Prefix") ?? "" };
                    break;
                case "Expiration":
                    rule.Expiration = new LifecycleRuleExpiration();
                    foreach (var e in child.Elements())
                    {
                        switch (e.Name.LocalName)
                        {
                            case "Days": rule.Expiration.Days = int.Parse(e.Value, CultureInfo.InvariantCulture); break;
                            case "Date": rule.Expiration.Date = DateTime.Parse(e.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal); break;
                            case "ExpiredObjectDeleteMarker": rule.Expiration.ExpiredObjectDeleteMarker = bool.Parse(e.Value); break;
                            default: throw Unsupported("Expiration." + e.Name.LocalName);
                        }
                    }

                    break;
                case "NoncurrentVersionExpiration":
                    rule.NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = ParseInt(OnlyXml(child, "NoncurrentDays")) };
                    break;
                case "AbortIncompleteMultipartUpload":
                    rule.AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = ParseInt(OnlyXml(child, "DaysAfterInitiation")) };
                    break;
                case "Transition":
                    rule.Transitions ??= [];
                    rule.Transitions.Add(new LifecycleTransition
                    {
                        Days = ParseInt(child.Elements().FirstOrDefault(e => e.Name.LocalName == "Days")?.Value),
                        StorageClass = child.Elements().FirstOrDefault(e => e.Name.LocalName == "StorageClass")?.Value,
                    });
                    break;
                default:
                    throw Unsupported(child.Name.LocalName);
            }
        }

        return rule;
    }

    private static JsonElement? Only(JsonElement element, string parent, string name)
    {
        JsonElement? found = null;
        foreach (var property in element.EnumerateObject())
        {
            found = property.Name == name ? property.Value : throw Unsupported(parent + "." + property.Name);
        }

        return found;
    }

    private static string? OnlyXml(XElement element, string name)
    {
        string? found = null;
        foreach (var child in element.Elements())
        {
            found = child.Name.LocalName == name ? child.Value : throw Unsupported(element.Name.LocalName + "." + child.Name.LocalName);
        }

        return found;
    }

    private static int? ParseInt(string? text) => text is null ? null : int.Parse(text, CultureInfo.InvariantCulture);

    private static Amazon.S3.LifecycleRuleStatus Status(string? value) => value switch
    {
        "Enabled" => Amazon.S3.LifecycleRuleStatus.Enabled,
        "Disabled" => Amazon.S3.LifecycleRuleStatus.Disabled,
        _ => throw new CliException($"lifecycle rules file: Status must be Enabled or Disabled, not '{value}'"),
    };

    private static CliException Unsupported(string name) => new($"lifecycle rules file: '{name}' is not supported by comio");
}
