using System.Globalization;
using System.Text;
using System.Xml;
using CommunityToolkit.HighPerformance;
using CommunityToolkit.HighPerformance.Buffers;

namespace ComIO.ApiService.Protocol.Xml;

/// <summary>
/// Helpers for writing S3 XML documents: UTF-8, declaration, the 2006-03-01 namespace on the root element, and
/// S3's timestamp format. Documents are small (a page of at most 1,000 entries) and are written to a buffer first
/// so a failure never leaves a half-written 200 response. That buffer is pooled: only the finished document is a new
/// array, not every size the buffer grew through (a listing page's would reach the large-object heap).
/// </summary>
public static class S3Xml
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    public const string ContentType = "application/xml";

    private const int InitialBufferBytes = 4 * 1024;
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    [ThreadStatic]
    private static char[]? _formatBuffer;

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
        CheckCharacters = false,
    };

    /// <summary>Writes a document whose root element is <paramref name="root"/> (in the S3 namespace unless <paramref name="withNamespace"/> is false).</summary>
    public static byte[] Document(string root, Action<XmlWriter> body, bool withNamespace = true)
    {
        using var buffer = new ArrayPoolBufferWriter<byte>(InitialBufferBytes);
        using (var writer = XmlWriter.Create(buffer.AsStream(), Settings))
        {
            writer.WriteStartDocument();
            if (withNamespace)
            {
                writer.WriteStartElement(root, Namespace);
            }
            else
            {
                writer.WriteStartElement(root);
            }

            body(writer);
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>ISO 8601 with milliseconds and Z, as S3 writes LastModified and CreationDate.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    /// <summary>RFC 1123 date, as S3 writes the Last-Modified header.</summary>
    public static string HttpDate(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes a simple element; strings that XML 1.0 cannot carry raw are still written (CheckCharacters is off, as S3 does with encoding-type).</summary>
    public static void Element(this XmlWriter writer, string name, string? value)
    {
        writer.WriteStartElement(name);
        if (!string.IsNullOrEmpty(value))
        {
            writer.WriteString(value);
        }

        writer.WriteEndElement();
    }

    public static void Element(this XmlWriter writer, string name, long value)
    {
        var chars = FormatBuffer;
        value.TryFormat(chars, out var written, default, CultureInfo.InvariantCulture);
        writer.Element(name, chars, written);
    }

    /// <summary>Writes <paramref name="time"/> as <see cref="Timestamp"/> does, without making a string of it.</summary>
    public static void Element(this XmlWriter writer, string name, DateTimeOffset time)
    {
        var chars = FormatBuffer;
        time.UtcDateTime.TryFormat(chars, out var written, TimestampFormat, CultureInfo.InvariantCulture);
        writer.Element(name, chars, written);
    }

    private static void Element(this XmlWriter writer, string name, char[] chars, int length)
    {
        writer.WriteStartElement(name);
        writer.WriteChars(chars, 0, length);
        writer.WriteEndElement();
    }

    /// <summary>
    /// An <c>ETag</c> element: the ETag in double quotes, as S3 writes it (left as it is when already quoted), as
    /// <c>ObjectHeaders.Quote</c> makes it for headers but without building the quoted string.
    /// </summary>
    public static void ETagElement(this XmlWriter writer, string etag)
    {
        writer.WriteStartElement("ETag");
        var quote = !etag.StartsWith('"');
        if (quote)
        {
            writer.WriteString("\"");
        }

        writer.WriteString(etag);
        if (quote)
        {
            writer.WriteString("\"");
        }

        writer.WriteEndElement();
    }

    /// <summary>Scratch space for formatting a number or a timestamp on this thread (each use copies it out at once).</summary>
    private static char[] FormatBuffer => _formatBuffer ??= new char[32];

    public static void Element(this XmlWriter writer, string name, bool value) =>
        writer.Element(name, value ? "true" : "false");
}
