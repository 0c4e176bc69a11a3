using System.Globalization;
using System.Text;
using System.Xml;

namespace ComIO.Contracts.Lifecycle;

/// <summary>
/// Parses, validates and writes the S3 <c>LifecycleConfiguration</c> document (PutBucketLifecycleConfiguration). The
/// parser never trusts its input: DTDs are prohibited, no resolver, the document is at most
/// <see cref="LifecycleConfiguration.MaxDocumentBytes"/>, every element is checked against the schema (unknown or
/// repeated elements are MalformedXML) and values against AWS's rules (InvalidArgument / InvalidRequest). Transitions
/// (storage classes) are refused as NotImplemented. Stateless and thread-safe.
/// </summary>
public static class LifecycleXml
{
    /// <summary>Code for actions ComIO does not implement (transitions to storage classes).</summary>
    public const string NotImplemented = "NotImplemented";

    private const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    private const int MaxIdLength = 255;
    private const int MaxNewerNoncurrentVersions = 100;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = LifecycleConfiguration.MaxDocumentBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// Parses and validates <paramref name="body"/>. Returns true with the configuration, or false with the error to
    /// answer. Rules without an <c>ID</c> get a generated one (as S3 does).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out LifecycleConfiguration? configuration, out LifecycleError? error)
    {
        configuration = null;
        error = null;
        if (body.Length == 0 || body.Length > LifecycleConfiguration.MaxDocumentBytes)
        {
            error = LifecycleError.Malformed;
            return false;
        }

        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body.ToArray(), writable: false), ReaderSettings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "LifecycleConfiguration")
            {
                error = LifecycleError.Malformed;
                return false;
            }

            var rules = new List<LifecycleRule>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            if (!reader.IsEmptyElement)
            {
                reader.Read();
                while (reader.NodeType != XmlNodeType.EndElement)
                {
                    if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "Rule" || rules.Count == LifecycleConfiguration.MaxRules)
                    {
                        error = rules.Count == LifecycleConfiguration.MaxRules
                            ? new LifecycleError(LifecycleError.InvalidRequest, $"Lifecycle configuration cannot have more than {LifecycleConfiguration.MaxRules} rules")
                            : LifecycleError.Malformed;
                        return false;
                    }

                    if (!TryReadRule(reader, out var rule, out error))
                    {
                        return false;
                    }

                    if (!ids.Add(rule!.Id))
                    {
                        error = new LifecycleError(LifecycleError.InvalidArgument, "Rule ID must be unique. Found same ID for more than one rule");
                        return false;
                    }

                    rules.Add(rule);
                }
            }

            reader.Read();
            if (!reader.EOF && reader.NodeType != XmlNodeType.None)
            {
                error = LifecycleError.Malformed;
                return false;
            }

            if (rules.Count == 0)
            {
                error = LifecycleError.Malformed;
                return false;
            }

            configuration = new LifecycleConfiguration(rules);
            return true;
        }
        catch (XmlException)
        {
            error = LifecycleError.Malformed;
            return false;
        }
        catch (InvalidOperationException)
        {
            error = LifecycleError.Malformed;
            return false;
        }
    }

    /// <summary>Writes <paramref name="configuration"/> as a canonical <c>LifecycleConfiguration</c> document (UTF-8, no BOM).</summary>
    public static byte[] Write(LifecycleConfiguration configuration)
    {
        using var output = new MemoryStream();
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("LifecycleConfiguration", Namespace);
            foreach (var rule in configuration.Rules)
            {
                writer.WriteStartElement("Rule", Namespace);
                writer.WriteElementString("ID", Namespace, rule.Id);
                if (rule.LegacyPrefix)
                {
                    writer.WriteElementString("Prefix", Namespace, rule.Filter.Prefix);
                }
                else
                {
                    WriteFilter(writer, rule.Filter);
                }

                writer.WriteElementString("Status", Namespace, rule.Enabled ? "Enabled" : "Disabled");
                if (rule.ExpirationDays is not null || rule.ExpirationDate is not null || rule.ExpiredObjectDeleteMarker)
                {
                    writer.WriteStartElement("Expiration", Namespace);
                    if (rule.ExpirationDays is { } days)
                    {
                        writer.WriteElementString("Days", Namespace, days.ToString(CultureInfo.InvariantCulture));
                    }

                    if (rule.ExpirationDate is { } date)
                    {
                        writer.WriteElementString("Date", Namespace, date.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                    }

                    if (rule.ExpiredObjectDeleteMarker)
                    {
                        writer.WriteElementString("ExpiredObjectDeleteMarker", Namespace, "true");
                    }

                    writer.WriteEndElement();
                }

                if (rule.NoncurrentDays is { } noncurrentDays)
                {
                    writer.WriteStartElement("NoncurrentVersionExpiration", Namespace);
                    writer.WriteElementString("NoncurrentDays", Namespace, noncurrentDays.ToString(CultureInfo.InvariantCulture));
                    if (rule.NewerNoncurrentVersions is { } newer)
                    {
                        writer.WriteElementString("NewerNoncurrentVersions", Namespace, newer.ToString(CultureInfo.InvariantCulture));
                    }

                    writer.WriteEndElement();
                }

                if (rule.AbortIncompleteMultipartUploadDays is { } abortDays)
                {
                    writer.WriteStartElement("AbortIncompleteMultipartUpload", Namespace);
                    writer.WriteElementString("DaysAfterInitiation", Namespace, abortDays.ToString(CultureInfo.InvariantCulture));
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return output.ToArray();
    }

    private static void WriteFilter(XmlWriter writer, LifecycleFilter filter)
    {
        writer.WriteStartElement("Filter", Namespace);
        var conditions = (filter.Prefix.Length > 0 ? 1 : 0) + filter.Tags.Count + (filter.ObjectSizeGreaterThan is null ? 0 : 1) + (filter.ObjectSizeLessThan is null ? 0 : 1);
        var and = conditions > 1;
        if (and)
        {
            writer.WriteStartElement("And", Namespace);
        }

        if (filter.Prefix.Length > 0 || conditions == 0)
        {
            writer.WriteElementString("Prefix", Namespace, filter.Prefix);
        }

        foreach (var (key, value) in filter.Tags)
        {
            writer.WriteStartElement("Tag", Namespace);
            writer.WriteElementString("Key", Namespace, key);
            writer.WriteElementString("Value", Namespace, value);
            writer.WriteEndElement();
        }

        if (filter.ObjectSizeGreaterThan is { } greater)
        {
            writer.WriteElementString("ObjectSizeGreaterThan", Namespace, greater.ToString(CultureInfo.InvariantCulture));
        }

        if (filter.ObjectSizeLessThan is { } less)
        {
            writer.WriteElementString("ObjectSizeLessThan", Namespace, less.ToString(CultureInfo.InvariantCulture));
        }

        if (and)
        {
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static bool TryReadRule(XmlReader reader, out LifecycleRule? rule, out LifecycleError? error)
    {
        rule = null;
        error = null;
        string? id = null;
        string? status = null;
        string? legacyPrefix = null;
        LifecycleFilter? filter = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int? days = null, noncurrentDays = null, newer = null, abortDays = null;
        DateTimeOffset? date = null;
        var deleteMarker = false;
        var hasExpiration = false;
        var hasNoncurrent = false;
        if (reader.IsEmptyElement)
        {
            error = LifecycleError.Malformed;
            return false;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element || !seen.Add(reader.LocalName))
            {
                error = LifecycleError.Malformed;
                return false;
            }

            switch (reader.LocalName)
            {
                case "ID":
                    id = reader.ReadElementContentAsString();
                    break;
                case "Status":
                    status = reader.ReadElementContentAsString();
                    break;
                case "Prefix":
                    legacyPrefix = reader.ReadElementContentAsString();
                    break;
                case "Filter":
                    if (!TryReadFilter(reader, out filter, out error))
                    {
                        return false;
                    }

                    break;
                case "Expiration":
                    hasExpiration = true;
                    if (!TryReadChildren(reader, ["Days", "Date", "ExpiredObjectDeleteMarker"], out var expiration))
                    {
                        error = LifecycleError.Malformed;
                        return false;
                    }

                    if (expiration.Count != 1)
                    {
                        error = LifecycleError.Malformed;
                        return false;
                    }

                    if (expiration.TryGetValue("Days", out var daysText) && !TryPositive(daysText, "'Days' for Expiration action must be a positive integer", out days, out error))
                    {
                        return false;
                    }

                    if (expiration.TryGetValue("Date", out var dateText))
                    {
                        if (!DateTimeOffset.TryParse(dateText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                        {
                            error = new LifecycleError(LifecycleError.InvalidArgument, "Invalid date in Expiration action");
                            return false;
                        }

                        if (parsed.UtcDateTime.TimeOfDay != TimeSpan.Zero)
                        {
                            error = new LifecycleError(LifecycleError.InvalidArgument, "'Date' must be at midnight GMT");
                            return false;
                        }

                        date = parsed.ToUniversalTime();
                    }

                    if (expiration.TryGetValue("ExpiredObjectDeleteMarker", out var markerText))
                    {
                        if (markerText is not ("true" or "false"))
                        {
                            error = LifecycleError.Malformed;
                            return false;
                        }

                        deleteMarker = markerText == "true";
                    }

                    break;
                case "NoncurrentVersionExpiration":
                    hasNoncurrent = true;
                    if (!TryReadChildren(reader, ["NoncurrentDays", "NewerNoncurrentVersions"], out var noncurrent) || !noncurrent.TryGetValue("NoncurrentDays", out var ncText))
                    {
                        error = LifecycleError.Malformed;
                        return false;
                    }

                    if (!TryPositive(ncText, "'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", out noncurrentDays, out error))
                    {
                        return false;
                    }

                    if (noncurrent.TryGetValue("NewerNoncurrentVersions", out var newerText))
                    {
                        if (!TryPositive(newerText, "NewerNoncurrentVersions must be a positive integer", out newer, out error))
                        {
                            return false;
                        }

                        if (newer > MaxNewerNoncurrentVersions)
                        {
                            error = new LifecycleError(LifecycleError.InvalidArgument, $"NewerNoncurrentVersions cannot be greater than {MaxNewerNoncurrentVersions}");
                            return false;
                        }
                    }

                    break;
                case "AbortIncompleteMultipartUpload":
                    if (!TryReadChildren(reader, ["DaysAfterInitiation"], out var abort) || !abort.TryGetValue("DaysAfterInitiation", out var abortText))
                    {
                        error = LifecycleError.Malformed;
                        return false;
                    }

                    if (!TryPositive(abortText, "'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", out abortDays, out error))
                    {
                        return false;
                    }

                    break;
                case "Transition" or "NoncurrentVersionTransition" or "Transitions" or "NoncurrentVersionTransitions":
                    error = new LifecycleError(NotImplemented, "Lifecycle transitions (storage classes) are not implemented by ComIO.");
                    return false;
                default:
                    error = LifecycleError.Malformed;
                    return false;
            }
        }

        reader.Read();
        if (status is not ("Enabled" or "Disabled") || (legacyPrefix is not null && filter is not null))
        {
            error = LifecycleError.Malformed;
            return false;
        }

        if (id is not null && id.Length > MaxIdLength)
        {
            error = new LifecycleError(LifecycleError.InvalidArgument, $"ID length should not exceed allowed limit of {MaxIdLength}");
            return false;
        }

        if (!hasExpiration && !hasNoncurrent && abortDays is null)
        {
            error = new LifecycleError(LifecycleError.InvalidRequest, "At least one action needs to be specified in a rule");
            return false;
        }

        filter ??= legacyPrefix is null ? LifecycleFilter.All : LifecycleFilter.All with { Prefix = legacyPrefix };
        if (filter.Tags.Count > 0 && deleteMarker)
        {
            error = new LifecycleError(LifecycleError.InvalidRequest, "Tag-based filter cannot be used with ExpiredObjectDeleteMarker");
            return false;
        }

        if ((filter.Tags.Count > 0 || filter.ObjectSizeGreaterThan is not null || filter.ObjectSizeLessThan is not null) && abortDays is not null)
        {
            error = new LifecycleError(LifecycleError.InvalidRequest, "AbortIncompleteMultipartUpload cannot be specified with Tags or object size filters");
            return false;
        }

        rule = new LifecycleRule
        {
            Id = string.IsNullOrEmpty(id) ? Guid.NewGuid().ToString("N") : id,
            Enabled = status == "Enabled",
            Filter = filter,
            LegacyPrefix = legacyPrefix is not null,
            ExpirationDays = days,
            ExpirationDate = date,
            ExpiredObjectDeleteMarker = deleteMarker,
            NoncurrentDays = noncurrentDays,
            NewerNoncurrentVersions = newer,
            AbortIncompleteMultipartUploadDays = abortDays,
        };
        return true;
    }

    private static bool TryReadFilter(XmlReader reader, out LifecycleFilter? filter, out LifecycleError? error)
    {
        filter = null;
        error = null;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            filter = LifecycleFilter.All;
            return true;
        }

        reader.Read();
        var count = 0;
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element || ++count > 1)
            {
                error = LifecycleError.Malformed;
                return false;
            }

            if (reader.LocalName == "And")
            {
                if (reader.IsEmptyElement)
                {
                    error = LifecycleError.Malformed;
                    return false;
                }

                reader.Read();
                if (!TryReadConditions(reader, allowMany: true, out filter, out error))
                {
                    return false;
                }

                reader.Read();
            }
            else if (!TryReadConditions(reader, allowMany: false, out filter, out error))
            {
                return false;
            }
        }

        reader.Read();
        filter ??= LifecycleFilter.All;
        return true;
    }

    /// <summary>Reads filter conditions up to the enclosing end element (one only unless <paramref name="allowMany"/>).</summary>
    private static bool TryReadConditions(XmlReader reader, bool allowMany, out LifecycleFilter? filter, out LifecycleError? error)
    {
        filter = null;
        error = null;
        string? prefix = null;
        long? greater = null, less = null;
        var tags = new List<KeyValuePair<string, string>>();
        var conditions = 0;
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element || (!allowMany && conditions == 1))
            {
                error = LifecycleError.Malformed;
                return false;
            }

            conditions++;
            switch (reader.LocalName)
            {
                case "Prefix" when prefix is null:
                    prefix = reader.ReadElementContentAsString();
                    break;
                case "Tag":
                    if (!TryReadChildren(reader, ["Key", "Value"], out var tag) || !tag.TryGetValue("Key", out var key) || !tag.TryGetValue("Value", out var value))
                    {
                        error = LifecycleError.Malformed;
                        return false;
                    }

                    if (key.Length is 0 or > 128 || value.Length > 256)
                    {
                        error = new LifecycleError(LifecycleError.InvalidArgument, "The TagKey you have provided is invalid");
                        return false;
                    }

                    foreach (var existing in tags)
                    {
                        if (existing.Key == key)
                        {
                            error = new LifecycleError(LifecycleError.InvalidRequest, "Duplicate Tag Keys are not allowed.");
                            return false;
                        }
                    }

                    tags.Add(new KeyValuePair<string, string>(key, value));
                    break;
                case "ObjectSizeGreaterThan" when greater is null:
                    if (!TrySize(reader.ReadElementContentAsString(), out greater, out error))
                    {
                        return false;
                    }

                    break;
                case "ObjectSizeLessThan" when less is null:
                    if (!TrySize(reader.ReadElementContentAsString(), out less, out error))
                    {
                        return false;
                    }

                    if (less == 0)
                    {
                        error = new LifecycleError(LifecycleError.InvalidRequest, "ObjectSizeLessThan must be greater than 0");
                        return false;
                    }

                    break;
                default:
                    error = LifecycleError.Malformed;
                    return false;
            }
        }

        if (greater is { } g && less is { } l && g >= l)
        {
            error = new LifecycleError(LifecycleError.InvalidRequest, "ObjectSizeGreaterThan must be less than ObjectSizeLessThan");
            return false;
        }

        filter = new LifecycleFilter(prefix ?? string.Empty, tags, greater, less);
        return true;
    }

    /// <summary>Reads an element whose children are distinct text leaves named in <paramref name="allowed"/>; positions after it.</summary>
    private static bool TryReadChildren(XmlReader reader, string[] allowed, out Dictionary<string, string> values)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return true;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element || Array.IndexOf(allowed, reader.LocalName) < 0 || values.ContainsKey(reader.LocalName))
            {
                return false;
            }

            var name = reader.LocalName;
            values[name] = reader.ReadElementContentAsString();
        }

        reader.Read();
        return true;
    }

    private static bool TryPositive(string text, string message, out int? value, out LifecycleError? error)
    {
        value = null;
        error = null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = LifecycleError.Malformed;
            return false;
        }

        if (parsed <= 0)
        {
            error = new LifecycleError(LifecycleError.InvalidArgument, message);
            return false;
        }

        value = parsed;
        return true;
    }

    private static bool TrySize(string text, out long? value, out LifecycleError? error)
    {
        value = null;
        error = null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = LifecycleError.Malformed;
            return false;
        }

        if (parsed < 0)
        {
            error = new LifecycleError(LifecycleError.InvalidArgument, "Object size filters must be non-negative");
            return false;
        }

        value = parsed;
        return true;
    }
}
