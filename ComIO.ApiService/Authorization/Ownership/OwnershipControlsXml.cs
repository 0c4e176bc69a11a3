using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Authorization.Ownership;

/// <summary>
/// The <c>&lt;OwnershipControls&gt;&lt;Rule&gt;&lt;ObjectOwnership&gt;…&lt;/ObjectOwnership&gt;&lt;/Rule&gt;&lt;/OwnershipControls&gt;</c>
/// document of PutBucketOwnershipControls/GetBucketOwnershipControls. Parsing requires exactly one <c>Rule</c> holding
/// exactly one <c>ObjectOwnership</c> whose value is one of the three (case-sensitive) names; anything else, a body that
/// is empty, too large or not well-formed, is MalformedXML. Nothing but <see cref="S3Exception"/> escapes <see cref="Parse"/>.
/// </summary>
public static class OwnershipControlsXml
{
    public static byte[] Write(ObjectOwnership ownership) => S3Xml.Document("OwnershipControls", xml =>
    {
        xml.WriteStartElement("Rule");
        xml.Element("ObjectOwnership", ToWireName(ownership));
        xml.WriteEndElement();
    });

    /// <exception cref="S3Exception">MalformedXML.</exception>
    public static ObjectOwnership Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var malformed = S3ErrorCode.MalformedXML;
        ObjectOwnership? ownership = null;
        try
        {
            using var reader = XmlBodyReader.OpenRoot(body, "OwnershipControls", malformed);
            foreach (var _ in XmlBodyReader.Children(reader, malformed))
            {
                if (reader.LocalName != "Rule" || ownership is not null)
                {
                    throw new S3Exception(malformed);
                }

                foreach (var __ in XmlBodyReader.Children(reader, malformed))
                {
                    if (reader.LocalName != "ObjectOwnership" || ownership is not null)
                    {
                        throw new S3Exception(malformed);
                    }

                    ownership = XmlBodyReader.Text(reader).Trim() switch
                    {
                        "BucketOwnerEnforced" => ObjectOwnership.BucketOwnerEnforced,
                        "BucketOwnerPreferred" => ObjectOwnership.BucketOwnerPreferred,
                        "ObjectWriter" => ObjectOwnership.ObjectWriter,
                        _ => throw new S3Exception(malformed),
                    };
                }

                if (ownership is null)
                {
                    throw new S3Exception(malformed);
                }
            }

            XmlBodyReader.ExpectEnd(reader, malformed);
        }
        catch (XmlException)
        {
            throw new S3Exception(malformed);
        }

        return ownership ?? throw new S3Exception(malformed);
    }

    /// <summary>The wire value, e.g. <c>BucketOwnerEnforced</c>.</summary>
    public static string ToWireName(ObjectOwnership ownership) => ownership switch
    {
        ObjectOwnership.BucketOwnerEnforced => "BucketOwnerEnforced",
        ObjectOwnership.BucketOwnerPreferred => "BucketOwnerPreferred",
        ObjectOwnership.ObjectWriter => "ObjectWriter",
        _ => throw new ArgumentOutOfRangeException(nameof(ownership), ownership, null),
    };
}
