using System.Text;
using System.Xml;
using System.Xml.Linq;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Encryption;

/// <summary>
/// A bucket's default encryption (S3 <c>ServerSideEncryptionConfiguration</c>, one rule): the algorithm new objects
/// without SSE headers get, an optional KMS key and the bucket-key flag. Stored as the bucket setting <c>encryption</c>
/// in the canonical XML of <see cref="ToXml"/>.
/// </summary>
public sealed record BucketEncryptionConfiguration(string Algorithm, string? KmsKeyId, bool BucketKeyEnabled)
{
    private static readonly XNamespace S3 = "http://s3.amazonaws.com/doc/2006-03-01/";

    /// <summary>Parses a PutBucketEncryption body (or a stored setting); MalformedXML / InvalidArgument as AWS.</summary>
    public static BucketEncryptionConfiguration Parse(string xml)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.None);
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "ServerSideEncryptionConfiguration")
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var rules = root.Elements().Where(static e => e.Name.LocalName == "Rule").ToList();
        if (rules.Count != 1)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var apply = rules[0].Elements().FirstOrDefault(static e => e.Name.LocalName == "ApplyServerSideEncryptionByDefault");
        var algorithm = apply?.Elements().FirstOrDefault(static e => e.Name.LocalName == "SSEAlgorithm")?.Value.Trim();
        if (apply is null || algorithm is null)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var kmsKey = apply.Elements().FirstOrDefault(static e => e.Name.LocalName == "KMSMasterKeyID")?.Value.Trim();
        var bucketKey = rules[0].Elements().FirstOrDefault(static e => e.Name.LocalName == "BucketKeyEnabled")?.Value.Trim();
        if (algorithm is not (SseHeaders.Aes256 or SseHeaders.Kms or SseHeaders.KmsDsse))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (kmsKey is not null && algorithm == SseHeaders.Aes256)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
        }

        if (bucketKey is not (null or "true" or "false"))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return new BucketEncryptionConfiguration(algorithm, string.IsNullOrEmpty(kmsKey) ? null : kmsKey, bucketKey == "true");
    }

    /// <summary>The GetBucketEncryption body (and the stored form).</summary>
    public string ToXml()
    {
        var apply = new XElement(S3 + "ApplyServerSideEncryptionByDefault", new XElement(S3 + "SSEAlgorithm", Algorithm));
        if (KmsKeyId is not null)
        {
            apply.Add(new XElement(S3 + "KMSMasterKeyID", KmsKeyId));
        }

        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(S3 + "ServerSideEncryptionConfiguration",
                new XElement(S3 + "Rule", apply, new XElement(S3 + "BucketKeyEnabled", BucketKeyEnabled ? "true" : "false"))));
        var builder = new StringBuilder();
        using (var writer = XmlWriter.Create(builder, new XmlWriterSettings { OmitXmlDeclaration = false, Indent = false }))
        {
            document.Save(writer);
        }

        return builder.ToString();
    }
}
