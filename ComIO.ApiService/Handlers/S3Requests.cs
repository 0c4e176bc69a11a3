using System.Security.Cryptography;
using System.Xml;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Bodies;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Handlers;

/// <summary>Reading small request bodies (XML documents) safely: bounded size, no DTDs, no external entities.</summary>
public static class S3Requests
{
    public static readonly XmlReaderSettings SafeXmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = 4 * 1024 * 1024,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// Reads a request body of at most <paramref name="maxBytes"/> (already decoded and verified by the auth layer's
    /// body stream). A larger body is MalformedXML-style refused without reading it all.
    /// </summary>
    public static async Task<byte[]> ReadSmallBodyAsync(S3Request request, int maxBytes)
    {
        var (body, length) = RequestBody.Open(request, requireLength: false);
        if (length > maxBytes)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML, "The XML you provided was larger than the maximum allowed.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, request.Aborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML, "The XML you provided was larger than the maximum allowed.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// For the operations where AWS requires an integrity header (DeleteObjects, PutObjectTagging, …): the body must
    /// come with Content-MD5 or an <c>x-amz-checksum-*</c> header (else InvalidRequest), and it must match (else BadDigest).
    /// </summary>
    public static void VerifyRequiredIntegrity(S3Request request, byte[] body)
    {
        var md5 = request.Header("Content-MD5");
        if (md5 is not null)
        {
            Span<byte> decoded = stackalloc byte[24];
            if (!Convert.TryFromBase64String(md5.Trim(), decoded, out var written) || written != 16)
            {
                throw new S3Exception(S3ErrorCode.InvalidDigest);
            }

            if (!decoded[..16].SequenceEqual(MD5.HashData(body)))
            {
                throw new S3Exception(S3ErrorCode.BadDigest);
            }

            return;
        }

        var (algorithm, expected) = ObjectHeaders.RequestedChecksum(request);
        if (algorithm is null)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Missing required header for this request: Content-MD5");
        }

        if (expected is not null && !PayloadChecksum.Matches(algorithm, body, expected))
        {
            throw new S3Exception(S3ErrorCode.BadDigest, $"The {algorithm} you specified did not match the calculated checksum.");
        }
    }
}
