using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Authorization.Ownership;

/// <summary>
/// The <c>&lt;PublicAccessBlockConfiguration&gt;</c> document of PutPublicAccessBlock/GetPublicAccessBlock. Each of the
/// four elements is optional (a missing one is false, as the S3 API reference marks them "Required: No", so an empty
/// root element is all false) and may appear once; values are <c>true</c>/<c>false</c> in any case. A repeated or
/// unknown element, another value, or a body that is zero bytes, too large or not well-formed, is MalformedXML.
/// <see cref="Write"/> always writes all four elements, as GetPublicAccessBlock does. Nothing but
/// <see cref="S3Exception"/> escapes <see cref="Parse"/>.
/// </summary>
public static class PublicAccessBlockXml
{
    public static byte[] Write(PublicAccessBlockConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return S3Xml.Document("PublicAccessBlockConfiguration", xml =>
        {
            xml.Element("BlockPublicAcls", configuration.BlockPublicAcls);
            xml.Element("IgnorePublicAcls", configuration.IgnorePublicAcls);
            xml.Element("BlockPublicPolicy", configuration.BlockPublicPolicy);
            xml.Element("RestrictPublicBuckets", configuration.RestrictPublicBuckets);
        });
    }

    /// <exception cref="S3Exception">MalformedXML.</exception>
    public static PublicAccessBlockConfiguration Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var malformed = S3ErrorCode.MalformedXML;
        bool? blockPublicAcls = null, ignorePublicAcls = null, blockPublicPolicy = null, restrictPublicBuckets = null;
        try
        {
            using var reader = XmlBodyReader.OpenRoot(body, "PublicAccessBlockConfiguration", malformed, allowEmptyRoot: true);
            foreach (var _ in XmlBodyReader.Children(reader, malformed))
            {
                switch (reader.LocalName)
                {
                    case "BlockPublicAcls" when blockPublicAcls is null:
                        blockPublicAcls = XmlBodyReader.Boolean(reader, malformed);
                        break;
                    case "IgnorePublicAcls" when ignorePublicAcls is null:
                        ignorePublicAcls = XmlBodyReader.Boolean(reader, malformed);
                        break;
                    case "BlockPublicPolicy" when blockPublicPolicy is null:
                        blockPublicPolicy = XmlBodyReader.Boolean(reader, malformed);
                        break;
                    case "RestrictPublicBuckets" when restrictPublicBuckets is null:
                        restrictPublicBuckets = XmlBodyReader.Boolean(reader, malformed);
                        break;
                    default:
                        throw new S3Exception(malformed);
                }
            }

            XmlBodyReader.ExpectEnd(reader, malformed);
        }
        catch (XmlException)
        {
            throw new S3Exception(malformed);
        }

        return new PublicAccessBlockConfiguration(blockPublicAcls ?? false, ignorePublicAcls ?? false, blockPublicPolicy ?? false,
            restrictPublicBuckets ?? false);
    }
}
