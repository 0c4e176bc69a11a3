using System.Globalization;
using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// Reads the <c>CORSConfiguration</c> document of PutBucketCors and writes the one GetBucketCors returns.
/// Parsing never trusts the input: DTDs are prohibited, the document may be at most
/// <see cref="CorsConfiguration.MaxDocumentBytes"/> (larger is <c>MaxMessageLengthExceeded</c>), anything that does
/// not match the schema (unknown or repeated single elements, text where elements belong, no rules, more than
/// <see cref="CorsConfiguration.MaxRules"/> rules, a rule without <c>AllowedOrigin</c> or <c>AllowedMethod</c>, a
/// <c>MaxAgeSeconds</c> that is not a non-negative integer) is <c>MalformedXML</c>, and AWS's semantic checks are
/// <c>InvalidRequest</c>: a method other than GET PUT POST DELETE HEAD ("Found unsupported HTTP method in CORS config.
/// Unsupported method is X"), an <c>AllowedOrigin</c> or <c>AllowedHeader</c> with more than one <c>*</c>.
/// Element order inside a rule is free. Stateless and thread-safe.
/// </summary>
public static class CorsConfigurationXml
{
    private static readonly HashSet<string> SupportedMethods = new(StringComparer.Ordinal) { "GET", "PUT", "POST", "DELETE", "HEAD" };

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = CorsConfiguration.MaxDocumentBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>Parses and validates a PutBucketCors body; throws <see cref="S3Exception"/> as described on the type.</summary>
    public static CorsConfiguration Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length > CorsConfiguration.MaxDocumentBytes)
        {
            throw new S3Exception(S3ErrorCodes.MaxMessageLengthExceeded);
        }

        List<CorsRule> rules;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body, writable: false), XmlSettings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "CORSConfiguration" || reader.IsEmptyElement)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            rules = [];
            foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
            {
                if (reader.LocalName != "CORSRule" || rules.Count == CorsConfiguration.MaxRules)
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }

                rules.Add(ParseRule(reader));
            }

            // Nothing but white space (and ignored comments and processing instructions) may follow the root.
            do
            {
                if (reader.NodeType is not (XmlNodeType.None or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace))
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }
            }
            while (reader.Read());
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (rules.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        foreach (var rule in rules)
        {
            Validate(rule);
        }

        return new CorsConfiguration(rules);
    }

    /// <summary>
    /// Reads at most <see cref="CorsConfiguration.MaxDocumentBytes"/> + 1 bytes of <paramref name="body"/> (never more)
    /// and parses them with <see cref="Parse(byte[])"/>.
    /// </summary>
    public static async Task<CorsConfiguration> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var buffer = new byte[CorsConfiguration.MaxDocumentBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        if (length > CorsConfiguration.MaxDocumentBytes)
        {
            throw new S3Exception(S3ErrorCodes.MaxMessageLengthExceeded);
        }

        return Parse(buffer[..length]);
    }

    /// <summary>
    /// The GetBucketCors body: <c>CORSConfiguration</c> in the S3 namespace with one <c>CORSRule</c> per rule, its
    /// elements in the order of AWS's response syntax (AllowedHeader, AllowedMethod, AllowedOrigin, ExposeHeader, ID,
    /// MaxAgeSeconds); empty lists and unset values are omitted.
    /// </summary>
    public static byte[] Write(CorsConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return S3Xml.Document("CORSConfiguration", writer =>
        {
            foreach (var rule in configuration.Rules)
            {
                writer.WriteStartElement("CORSRule");
                foreach (var header in rule.AllowedHeaders)
                {
                    writer.Element("AllowedHeader", header);
                }

                foreach (var method in rule.AllowedMethods)
                {
                    writer.Element("AllowedMethod", method);
                }

                foreach (var origin in rule.AllowedOrigins)
                {
                    writer.Element("AllowedOrigin", origin);
                }

                foreach (var header in rule.ExposeHeaders)
                {
                    writer.Element("ExposeHeader", header);
                }

                if (rule.Id is not null)
                {
                    writer.Element("ID", rule.Id);
                }

                if (rule.MaxAgeSeconds is { } maxAge)
                {
                    writer.Element("MaxAgeSeconds", maxAge);
                }

                writer.WriteEndElement();
            }
        });
    }

    private static CorsRule ParseRule(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        string? id = null;
        int? maxAge = null;
        var origins = new List<string>();
        var methods = new List<string>();
        var headers = new List<string>();
        var expose = new List<string>();
        foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
        {
            switch (reader.LocalName)
            {
                case "ID" when id is null:
                    id = reader.ReadElementContentAsString();
                    break;
                case "AllowedOrigin":
                    origins.Add(reader.ReadElementContentAsString());
                    break;
                case "AllowedMethod":
                    methods.Add(reader.ReadElementContentAsString());
                    break;
                case "AllowedHeader":
                    headers.Add(reader.ReadElementContentAsString());
                    break;
                case "ExposeHeader":
                    expose.Add(reader.ReadElementContentAsString());
                    break;
                case "MaxAgeSeconds" when maxAge is null:
                    var text = reader.ReadElementContentAsString().Trim();
                    maxAge = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                        ? seconds
                        : throw new S3Exception(S3ErrorCode.MalformedXML);
                    break;
                default:
                    throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }

        if (origins.Count == 0 || methods.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return new CorsRule(id, origins, methods, headers, expose, maxAge);
    }

    private static void Validate(CorsRule rule)
    {
        foreach (var method in rule.AllowedMethods)
        {
            if (!SupportedMethods.Contains(method))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Found unsupported HTTP method in CORS config. Unsupported method is {method}");
            }
        }

        foreach (var origin in rule.AllowedOrigins)
        {
            if (origin.AsSpan().Count('*') > 1)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"AllowedOrigin \"{origin}\" can not have more than one wildcard.");
            }
        }

        foreach (var header in rule.AllowedHeaders)
        {
            if (header.AsSpan().Count('*') > 1)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"AllowedHeader \"{header}\" can not have more than one wildcard.");
            }
        }
    }

}
