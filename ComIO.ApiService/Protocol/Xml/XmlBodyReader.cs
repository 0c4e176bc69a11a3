using System.Xml;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Protocol.Xml;

/// <summary>
/// Strict, bounded reading of the small XML request bodies of the authorization APIs (ACLs, ownership controls, public
/// access block): DTDs prohibited, no external resolution, at most <see cref="MaxBodyBytes"/>. Every shape error is
/// reported as the caller's "malformed" error code; callers turn <see cref="XmlException"/> into the same code.
/// </summary>
internal static class XmlBodyReader
{
    /// <summary>Largest body accepted (64 KiB: 100 grants fit in well under half of it).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBodyBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreWhitespace = false,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>
    /// Opens <paramref name="body"/> positioned on its root element, which must be <paramref name="root"/> and, unless
    /// <paramref name="allowEmptyRoot"/>, not an empty element.
    /// </summary>
    public static XmlReader OpenRoot(byte[] body, string root, S3ErrorCode malformed, bool allowEmptyRoot = false)
    {
        if (body.Length == 0 || body.Length > MaxBodyBytes)
        {
            throw new S3Exception(malformed);
        }

        var reader = XmlReader.Create(new MemoryStream(body, writable: false), Settings);
        try
        {
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != root || (reader.IsEmptyElement && !allowEmptyRoot))
            {
                throw new S3Exception(malformed);
            }

            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>After the root's end tag: only white space, comments and processing instructions may follow.</summary>
    public static void ExpectEnd(XmlReader reader, S3ErrorCode malformed)
    {
        while (!reader.EOF)
        {
            if (reader.NodeType is not (XmlNodeType.None or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.Comment
                or XmlNodeType.ProcessingInstruction))
            {
                throw new S3Exception(malformed);
            }

            reader.Read();
        }
    }

    /// <summary>
    /// Visits the child elements of the element the reader is on, positioned on each; the visitor must consume the
    /// child (e.g. with <see cref="Text"/>). An empty parent has no children. Text other than white space between
    /// children, or the end of input, is malformed. Ends after the parent's end tag.
    /// </summary>
    public static IEnumerable<bool> Children(XmlReader reader, S3ErrorCode malformed)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            yield break;
        }

        reader.Read();
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    yield return true;
                    break;
                case XmlNodeType.EndElement:
                    reader.Read();
                    yield break;
                case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace or XmlNodeType.Comment or XmlNodeType.ProcessingInstruction:
                    reader.Read();
                    break;
                default:
                    throw new S3Exception(malformed);
            }
        }
    }

    /// <summary>The text content of a simple element (no child elements), consuming it.</summary>
    public static string Text(XmlReader reader) => reader.ReadElementContentAsString();

    /// <summary>Reads an <c>xs:boolean</c> element as S3 accepts it: <c>true</c> or <c>false</c>, any case, surrounding white space ignored.</summary>
    public static bool Boolean(XmlReader reader, S3ErrorCode malformed)
    {
        var text = Text(reader).Trim();
        return text.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
            : text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
            : throw new S3Exception(malformed);
    }
}
