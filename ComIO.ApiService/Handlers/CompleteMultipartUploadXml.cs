using System.Globalization;
using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>Parses the <c>CompleteMultipartUpload</c> body. Anything outside the schema is MalformedXML.</summary>
public static class CompleteMultipartUploadXml
{
    public const int MaxParts = 10_000;

    public static List<CompletePart> Parse(byte[] body)
    {
        var parts = new List<CompletePart>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), S3Requests.SafeXmlSettings);
            reader.MoveToContent();
            if (reader.LocalName != "CompleteMultipartUpload" || reader.IsEmptyElement)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement && !reader.EOF)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }

                if (reader.LocalName != "Part")
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }

                parts.Add(ParsePart(reader));
                if (parts.Count > MaxParts)
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }
            }
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (parts.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML, "The XML you provided was not well-formed or did not validate against our published schema.");
        }

        return parts;
    }

    private static CompletePart ParsePart(XmlReader reader)
    {
        int? number = null;
        string? etag = null;
        if (reader.IsEmptyElement)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.EOF)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }

            switch (reader.LocalName)
            {
                case "PartNumber":
                    number = int.TryParse(reader.ReadElementContentAsString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                        ? n
                        : throw new S3Exception(S3ErrorCode.MalformedXML);
                    break;
                case "ETag":
                    etag = reader.ReadElementContentAsString().Trim().Trim('"');
                    break;
                default:
                    reader.Skip(); // ChecksumCRC32 etc.: accepted, the node verifies part data when it arrives
                    break;
            }
        }

        reader.Read();
        if (number is null || string.IsNullOrEmpty(etag))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return new CompletePart(number.Value, etag);
    }
}
