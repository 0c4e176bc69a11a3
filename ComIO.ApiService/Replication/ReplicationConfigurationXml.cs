using System.Globalization;
using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Replication;

/// <summary>
/// Parses and writes the S3 <c>ReplicationConfiguration</c> document (PutBucketReplication). Shape errors are
/// MalformedXML, value errors InvalidArgument / InvalidRequest as AWS answers them; features ComIO does not implement
/// (tag filters, replication time control, metrics, KMS selection, owner translation) are NotImplemented rather than
/// silently ignored. A destination bucket is named by its ARN: <c>arn:aws:s3:::bucket</c> replicates to every site in
/// <c>Replication:Sites</c>; <c>arn:aws:s3:SITE::bucket</c> (the site in the ARN's region field) to that site only.
/// </summary>
public static class ReplicationConfigurationXml
{
    private const int MaxIdLength = 255;

    public static ReplicationConfiguration Parse(byte[] body, IReadOnlyCollection<string> configuredSites)
    {
        try
        {
            using var reader = XmlBodyReader.OpenRoot(body, "ReplicationConfiguration", S3ErrorCode.MalformedXML);
            string? role = null;
            var rules = new List<ReplicationRule>();
            foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
            {
                switch (reader.LocalName)
                {
                    case "Role" when role is null:
                        role = XmlBodyReader.Text(reader).Trim();
                        break;
                    case "Rule":
                        if (rules.Count == ReplicationConfiguration.MaxRules)
                        {
                            throw new S3Exception(S3ErrorCode.InvalidRequest, $"Number of rules in the replication configuration cannot exceed {ReplicationConfiguration.MaxRules}.");
                        }

                        rules.Add(ReadRule(reader, rules.Count, configuredSites));
                        break;
                    default:
                        throw new S3Exception(S3ErrorCode.MalformedXML);
                }
            }

            XmlBodyReader.ExpectEnd(reader, S3ErrorCode.MalformedXML);
            Validate(rules);
            return new ReplicationConfiguration(role ?? string.Empty, rules);
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
    }

    private static void Validate(List<ReplicationRule> rules)
    {
        if (rules.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (rules.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count() != rules.Count)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Rule Id must be unique.");
        }

        var v2 = rules.Count(r => r.UsesFilter);
        if (v2 != 0 && v2 != rules.Count)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Rules in a replication configuration must all use Filter, or all use Prefix.");
        }

        if (v2 != 0 && rules.Where(r => r.Priority is not null).GroupBy(r => r.Priority).Any(g => g.Count() > 1))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Found duplicate priority in replication configuration.");
        }

        if (v2 == 0)
        {
            // Schema V1: prefixes of enabled rules must not overlap (AWS refuses them).
            var prefixes = rules.Select(r => r.Prefix).ToList();
            for (var i = 0; i < prefixes.Count; i++)
            {
                for (var j = 0; j < prefixes.Count; j++)
                {
                    if (i != j && prefixes[j].StartsWith(prefixes[i], StringComparison.Ordinal))
                    {
                        throw new S3Exception(S3ErrorCode.InvalidRequest, "Found overlapping prefixes in replication configuration.");
                    }
                }
            }
        }
    }

    private static ReplicationRule ReadRule(XmlReader reader, int index, IReadOnlyCollection<string> configuredSites)
    {
        string? id = null, status = null, prefix = null, destinationArn = null, storageClass = null;
        int? priority = null;
        bool? deleteMarkers = null;
        var usesFilter = false;
        foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
        {
            switch (reader.LocalName)
            {
                case "ID" when id is null:
                    id = XmlBodyReader.Text(reader);
                    break;
                case "Priority" when priority is null:
                    priority = int.TryParse(XmlBodyReader.Text(reader).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                        ? p : throw new S3Exception(S3ErrorCode.InvalidArgument, "Priority must be a non-negative integer.");
                    break;
                case "Status" when status is null:
                    status = XmlBodyReader.Text(reader).Trim();
                    break;
                case "Prefix" when prefix is null && !usesFilter:
                    prefix = XmlBodyReader.Text(reader);
                    break;
                case "Filter" when !usesFilter && prefix is null:
                    usesFilter = true;
                    prefix = ReadFilter(reader);
                    break;
                case "DeleteMarkerReplication" when deleteMarkers is null:
                    deleteMarkers = ReadStatus(reader) == "Enabled";
                    break;
                case "Destination" when destinationArn is null:
                    (destinationArn, storageClass) = ReadDestination(reader);
                    break;
                case "ExistingObjectReplication" or "SourceSelectionCriteria":
                    throw new S3Exception(S3ErrorCode.NotImplemented, $"ComIO does not implement {reader.LocalName} in replication rules (use `comio replication resync` for existing objects).");
                default:
                    throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }

        if (status is not ("Enabled" or "Disabled") || destinationArn is null)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (usesFilter && deleteMarkers is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.");
        }

        if (id is { Length: > MaxIdLength })
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The ID must be less than or equal to 255 characters.");
        }

        var (site, bucket) = ParseDestination(destinationArn, configuredSites);
        return new ReplicationRule(
            string.IsNullOrEmpty(id) ? $"rule-{index + 1}" : id,
            priority,
            status == "Enabled",
            prefix ?? string.Empty,
            usesFilter,
            deleteMarkers ?? !usesFilter,
            destinationArn,
            site,
            bucket,
            storageClass);
    }

    /// <summary>A V2 filter: empty, <c>Prefix</c>, or <c>And</c> with a prefix only; tag conditions are not implemented.</summary>
    private static string ReadFilter(XmlReader reader)
    {
        var prefix = string.Empty;
        foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
        {
            switch (reader.LocalName)
            {
                case "Prefix":
                    prefix = XmlBodyReader.Text(reader);
                    break;
                case "Tag" or "And":
                    throw new S3Exception(S3ErrorCode.NotImplemented, "ComIO does not implement tag conditions in replication rule filters.");
                default:
                    throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }

        return prefix;
    }

    private static string ReadStatus(XmlReader reader)
    {
        string? status = null;
        foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
        {
            status = reader.LocalName == "Status" && status is null ? XmlBodyReader.Text(reader).Trim() : throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return status is "Enabled" or "Disabled" ? status : throw new S3Exception(S3ErrorCode.MalformedXML);
    }

    private static (string Arn, string? StorageClass) ReadDestination(XmlReader reader)
    {
        string? arn = null, storageClass = null;
        foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
        {
            switch (reader.LocalName)
            {
                case "Bucket" when arn is null:
                    arn = XmlBodyReader.Text(reader).Trim();
                    break;
                case "StorageClass" when storageClass is null:
                    storageClass = XmlBodyReader.Text(reader).Trim();
                    if (storageClass != "STANDARD")
                    {
                        throw new S3Exception(S3ErrorCodes.InvalidStorageClass);
                    }

                    break;
                case "Account" or "AccessControlTranslation" or "EncryptionConfiguration" or "ReplicationTime" or "Metrics":
                    throw new S3Exception(S3ErrorCode.NotImplemented, $"ComIO does not implement {reader.LocalName} in replication destinations.");
                default:
                    throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }

        return (arn ?? throw new S3Exception(S3ErrorCode.MalformedXML), storageClass);
    }

    /// <summary>
    /// <c>arn:aws:s3:[site]::bucket</c> → (site or null for every configured site, bucket). InvalidArgument for anything
    /// else, an unknown site, or when no destination site is configured at all.
    /// </summary>
    public static (string? Site, string Bucket) ParseDestination(string arn, IReadOnlyCollection<string> configuredSites)
    {
        var parts = arn.Split(':');
        if (parts.Length != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] != "s3" || parts[4].Length != 0 || !BucketNameRules.IsValid(parts[5]))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid bucket ARN.");
        }

        var site = parts[3].Length == 0 ? null : parts[3];
        if (configuredSites.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "No replication destination sites are configured (Replication:Sites).");
        }

        if (site is not null && !configuredSites.Contains(site))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, $"Destination site '{site}' is not configured (Replication:Sites).");
        }

        return (site, parts[5]);
    }

    /// <summary>The canonical document (what GetBucketReplication returns).</summary>
    public static byte[] Write(ReplicationConfiguration configuration) => S3Xml.Document("ReplicationConfiguration", xml =>
    {
        if (configuration.Role.Length > 0)
        {
            xml.Element("Role", configuration.Role);
        }

        foreach (var rule in configuration.Rules)
        {
            xml.WriteStartElement("Rule");
            xml.Element("ID", rule.Id);
            if (rule.Priority is { } priority)
            {
                xml.Element("Priority", priority);
            }

            if (rule.UsesFilter)
            {
                xml.WriteStartElement("Filter");
                xml.Element("Prefix", rule.Prefix);
                xml.WriteEndElement();
            }
            else
            {
                xml.Element("Prefix", rule.Prefix);
            }

            xml.Element("Status", rule.Enabled ? "Enabled" : "Disabled");
            if (rule.UsesFilter)
            {
                xml.WriteStartElement("DeleteMarkerReplication");
                xml.Element("Status", rule.DeleteMarkerReplication ? "Enabled" : "Disabled");
                xml.WriteEndElement();
            }

            xml.WriteStartElement("Destination");
            xml.Element("Bucket", rule.DestinationArn);
            if (rule.StorageClass is { } storageClass)
            {
                xml.Element("StorageClass", storageClass);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }
    });
}
