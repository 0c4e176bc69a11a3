using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Parses and validates S3 object tag sets: the <c>&lt;Tagging&gt;</c> document of PutObjectTagging and the
/// URL-encoded query-string form of the <c>x-amz-tagging</c> header (PutObject, CopyObject, CreateMultipartUpload).
/// Validation follows AWS: more than 10 tags is <c>BadRequest</c>; a key of 0 or more than 128 characters, a value of
/// more than 256, characters outside letters, digits, white space and <c>+ - = . _ : / @</c>, or a key starting with
/// <c>aws:</c> is <c>InvalidTag</c>; duplicate keys are <c>InvalidTag</c> in the document and <c>InvalidArgument</c> in
/// the header; a document that does not match the schema is <c>MalformedXML</c>.
/// </summary>
public static partial class TagSetParser
{
    /// <summary>The request header carrying a new object's tags.</summary>
    public const string TaggingHeader = "x-amz-tagging";

    public const int MaxTags = 10;
    public const int MaxKeyLength = 128;
    public const int MaxValueLength = 256;

    /// <summary>S3's generic 400 (used for too many tags: "Object tags cannot be greater than 10").</summary>
    public static readonly S3ErrorCode BadRequest = new("BadRequest", HttpStatusCode.BadRequest, "Bad Request");

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = 1024 * 1024,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreWhitespace = false,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// The tags of the <c>x-amz-tagging</c> header: <c>k1=v1&amp;k2=v2</c>, each key and value URL-encoded (<c>+</c> is
    /// a space); a pair without <c>=</c> is a key with an empty value, empty pairs are ignored. Null or empty: no tags.
    /// </summary>
    public static List<ObjectTag> ParseHeader(string? header)
    {
        var tags = new List<ObjectTag>();
        if (string.IsNullOrEmpty(header))
        {
            return tags;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in header.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : WebUtility.UrlDecode(pair[(equals + 1)..]);
            if (!keys.Add(key))
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.");
            }

            tags.Add(new ObjectTag(key, value));
        }

        Validate(tags);
        return tags;
    }

    /// <summary>Parses and validates a PutObjectTagging body (<c>Tagging/TagSet/Tag/{Key,Value}</c>); an empty TagSet is valid.</summary>
    public static List<ObjectTag> ParseXml(byte[] body)
    {
        var tags = new List<ObjectTag>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), XmlSettings);
            reader.MoveToContent();
            if (reader.LocalName != "Tagging" || reader.IsEmptyElement)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            var sawTagSet = false;
            foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
            {
                if (reader.LocalName != "TagSet" || sawTagSet)
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }

                sawTagSet = true;
                if (reader.IsEmptyElement)
                {
                    reader.Read();
                    continue;
                }

                foreach (var __ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
                {
                    if (reader.LocalName != "Tag")
                    {
                        throw new S3Exception(S3ErrorCode.MalformedXML);
                    }

                    tags.Add(ParseTag(reader));
                }
            }

            if (!sawTagSet)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        Validate(tags);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        if (tags.Any(tag => !keys.Add(tag.Key)))
        {
            throw new S3Exception(S3ErrorCodes.InvalidTag, "Cannot provide multiple Tags with the same key");
        }

        return tags;
    }

    /// <summary>Throws the S3 error AWS answers for a tag set that breaks its limits (count, lengths, characters, <c>aws:</c>).</summary>
    public static void Validate(IReadOnlyList<ObjectTag> tags)
    {
        if (tags.Count > MaxTags)
        {
            throw new S3Exception(BadRequest, "Object tags cannot be greater than 10");
        }

        foreach (var tag in tags)
        {
            var keyLength = CharacterCount(tag.Key);
            if (keyLength is 0 or > MaxKeyLength || !AllowedCharacters().IsMatch(tag.Key))
            {
                throw new S3Exception(S3ErrorCodes.InvalidTag, "The TagKey you have provided is invalid");
            }

            if (tag.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new S3Exception(S3ErrorCodes.InvalidTag, "Your TagKey cannot be prefixed with aws:");
            }

            if (CharacterCount(tag.Value) > MaxValueLength || !AllowedCharacters().IsMatch(tag.Value))
            {
                throw new S3Exception(S3ErrorCodes.InvalidTag, "The TagValue you have provided is invalid");
            }
        }
    }

    /// <summary>Unicode characters (code points), as S3 counts tag lengths.</summary>
    private static int CharacterCount(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static ObjectTag ParseTag(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        string? key = null;
        string? value = null;
        foreach (var _ in XmlBodyReader.Children(reader, S3ErrorCode.MalformedXML))
        {
            switch (reader.LocalName)
            {
                case "Key" when key is null:
                    key = reader.ReadElementContentAsString();
                    break;
                case "Value" when value is null:
                    value = reader.ReadElementContentAsString();
                    break;
                default:
                    throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }

        return key is null || value is null ? throw new S3Exception(S3ErrorCode.MalformedXML) : new ObjectTag(key, value);
    }

    /// <summary>Letters, digits, white space and <c>+ - = . _ : / @</c> (AWS's tag character set).</summary>
    [GeneratedRegex(@"^[\p{L}\p{M}\p{Z}\p{N}\s_.:/=+\-@]*$")]
    private static partial Regex AllowedCharacters();
}
