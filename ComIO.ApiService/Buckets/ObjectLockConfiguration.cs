using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Buckets;

/// <summary>
/// A bucket's Object Lock configuration (S3 <c>ObjectLockConfiguration</c>): Object Lock is enabled (it can only be
/// enabled at bucket creation and never disabled), optionally with a default retention (<see cref="DefaultMode"/> for
/// <see cref="Days"/> or <see cref="Years"/>, exactly one of them) applied to every new version that names no retention.
/// Stored as the bucket setting <see cref="BucketSettingNames.ObjectLock"/> in the canonical XML of <see cref="ToXml"/>.
/// Immutable.
/// </summary>
public sealed record ObjectLockConfiguration
{
    private const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>The configuration of a bucket created with Object Lock and no default retention.</summary>
    public static readonly ObjectLockConfiguration EnabledWithoutRule = new();

    /// <summary>"GOVERNANCE" or "COMPLIANCE" when a default retention is configured, else null.</summary>
    public string? DefaultMode { get; init; }

    /// <summary>Default retention period in days (positive), or null.</summary>
    public int? Days { get; init; }

    /// <summary>Default retention period in years (positive), or null.</summary>
    public int? Years { get; init; }

    /// <summary>
    /// The retain-until date of a version created at <paramref name="created"/> under the default retention (null when
    /// there is none). Years are calendar years, as AWS counts them.
    /// </summary>
    public DateTimeOffset? DefaultRetainUntil(DateTimeOffset created) =>
        DefaultMode is null ? null : Days is { } days ? created.AddDays(days) : created.AddYears(Years!.Value);

    /// <summary>The canonical XML (the stored setting and the GetObjectLockConfiguration body).</summary>
    public byte[] ToXml() => S3Xml.Document("ObjectLockConfiguration", xml =>
    {
        xml.Element("ObjectLockEnabled", "Enabled");
        if (DefaultMode is not null)
        {
            xml.WriteStartElement("Rule");
            xml.WriteStartElement("DefaultRetention");
            xml.Element("Mode", DefaultMode);
            if (Days is { } days)
            {
                xml.Element("Days", days.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                xml.Element("Years", Years!.Value.ToString(CultureInfo.InvariantCulture));
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }
    });

    /// <summary>Reads a stored setting (null when the bucket has no Object Lock).</summary>
    public static ObjectLockConfiguration? FromSetting(string? stored) =>
        stored is null ? null : Parse(System.Text.Encoding.UTF8.GetBytes(stored));

    /// <summary>
    /// Parses a PutObjectLockConfiguration body. Shape errors (unknown or repeated elements, ObjectLockEnabled other than
    /// "Enabled", a Rule without DefaultRetention, an unknown Mode, both or neither of Days and Years) are MalformedXML;
    /// a non-positive or unparseable period is InvalidArgument.
    /// </summary>
    public static ObjectLockConfiguration Parse(byte[] body)
    {
        XElement root;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body, writable: false), S3Requests.SafeXmlSettings);
            root = XDocument.Load(reader).Root ?? throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (root.Name.LocalName != "ObjectLockConfiguration" || !IsS3Namespace(root))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var enabled = Single(root, "ObjectLockEnabled");
        var rule = Single(root, "Rule");
        Only(root, "ObjectLockEnabled", "Rule");
        if (enabled?.Value != "Enabled")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (rule is null)
        {
            return EnabledWithoutRule;
        }

        Only(rule, "DefaultRetention");
        var retention = Single(rule, "DefaultRetention") ?? throw new S3Exception(S3ErrorCode.MalformedXML);
        Only(retention, "Mode", "Days", "Years");
        var mode = Single(retention, "Mode")?.Value;
        var days = Single(retention, "Days");
        var years = Single(retention, "Years");
        if (mode is not ("GOVERNANCE" or "COMPLIANCE") || (days is null) == (years is null))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var period = Period(days ?? years!);
        return days is not null ? new ObjectLockConfiguration { DefaultMode = mode, Days = period } : new ObjectLockConfiguration { DefaultMode = mode, Years = period };
    }

    private static int Period(XElement element)
    {
        if (!int.TryParse(element.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value <= 0
            || (element.Name.LocalName == "Days" ? value > 36_500 : value > 100))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Default retention period must be a positive integer value.");
        }

        return value;
    }

    private static bool IsS3Namespace(XElement element) => element.Name.NamespaceName is "" or Namespace;

    private static XElement? Single(XElement parent, string name)
    {
        XElement? found = null;
        foreach (var child in parent.Elements())
        {
            if (child.Name.LocalName == name)
            {
                if (found is not null || (child.HasElements && name is "ObjectLockEnabled" or "Mode" or "Days" or "Years"))
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }

                found = child;
            }
        }

        return found;
    }

    private static void Only(XElement parent, params string[] names)
    {
        foreach (var child in parent.Elements())
        {
            if (Array.IndexOf(names, child.Name.LocalName) < 0 || !IsS3Namespace(child))
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }
    }
}
