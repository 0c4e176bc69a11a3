using System.Text;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>Translates between S3 object headers and stored object metadata, enforcing AWS's key and metadata limits.</summary>
public static class ObjectHeaders
{
    public const int MaxKeyBytes = 1024;
    public const int MaxUserMetadataBytes = 2 * 1024;
    public const string DefaultContentType = "binary/octet-stream";
    public const string UserMetadataPrefix = "x-amz-meta-";

    /// <summary>Stored verbatim and returned on GET/HEAD.</summary>
    public static readonly string[] SystemHeaders = ["Content-Encoding", "Content-Disposition", "Cache-Control", "Content-Language", "Expires"];

    /// <summary>
    /// Throws <c>KeyTooLongError</c> for a key over 1,024 UTF-8 bytes. Every object operation checks its keys here
    /// before asking a node, which would otherwise refuse the key as an internal error.
    /// </summary>
    public static void ValidateKey(string key)
    {
        if (Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            throw new S3Exception(S3ErrorCode.KeyTooLongError);
        }
    }

    /// <summary>Builds the metadata of a new object from the request headers (PutObject, CopyObject with REPLACE).</summary>
    public static PutObjectMetadata FromRequest(S3Request request)
    {
        var user = new Dictionary<string, string>(StringComparer.Ordinal);
        var userBytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(UserMetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var shortName = name[UserMetadataPrefix.Length..].ToLowerInvariant();
                var value = values.ToString();
                user[shortName] = value;
                userBytes += Encoding.UTF8.GetByteCount(shortName) + Encoding.UTF8.GetByteCount(value);
            }
        }

        if (userBytes > MaxUserMetadataBytes)
        {
            throw new S3Exception(S3ErrorCode.MetadataTooLarge);
        }

        var system = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in SystemHeaders)
        {
            var value = request.Header(name);
            if (name == "Content-Encoding" && value is not null)
            {
                value = StripAwsChunked(value);
            }

            if (!string.IsNullOrEmpty(value))
            {
                system[name] = value;
            }
        }

        var (algorithm, expected) = RequestedChecksum(request);
        var md5 = request.Header("Content-MD5");
        if (md5 is not null && !IsValidMd5(md5))
        {
            throw new S3Exception(S3ErrorCode.InvalidDigest);
        }

        return new PutObjectMetadata
        {
            ContentType = request.Header("Content-Type"),
            UserMetadata = user,
            SystemMetadata = system,
            ContentMd5 = md5,
            ChecksumAlgorithm = algorithm,
            ExpectedChecksum = expected,
            Tags = TagSetParser.ParseHeader(request.Header(TagSetParser.TaggingHeader)),
        };
    }

    /// <summary>
    /// The checksum algorithm a request asks for and the value it claims, from headers (the value may instead come in a
    /// trailer). As S3: more than one <c>x-amz-checksum-*</c> value header, a value that is not the base64 of a digest of
    /// the algorithm's size, or an <c>x-amz-sdk-checksum-algorithm</c> naming another algorithm is <c>InvalidRequest</c>.
    /// </summary>
    public static (string? Algorithm, string? Expected) RequestedChecksum(S3Request request)
    {
        string? found = null;
        string? claimed = null;
        foreach (var algorithm in ChecksumAlgorithmNames.All)
        {
            var value = request.Header("x-amz-checksum-" + algorithm.ToLowerInvariant());
            if (value is not null)
            {
                if (found is not null)
                {
                    throw new S3Exception(S3ErrorCode.InvalidRequest, "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
                }

                found = algorithm;
                claimed = value;
            }
        }

        if (found is not null)
        {
            if (!IsValidChecksumValue(found, claimed!))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Value for x-amz-checksum-{found.ToLowerInvariant()} header is invalid.");
            }

            var declared = request.Header("x-amz-sdk-checksum-algorithm");
            if (declared is not null && !string.Equals(declared.Trim(), found, StringComparison.OrdinalIgnoreCase))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }

            return (found, claimed);
        }

        var trailer = request.Header("x-amz-trailer");
        if (trailer is not null && trailer.StartsWith("x-amz-checksum-", StringComparison.OrdinalIgnoreCase))
        {
            var name = trailer["x-amz-checksum-".Length..].Trim().ToUpperInvariant();
            if (Array.IndexOf(ChecksumAlgorithmNames.All, name) < 0)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Unsupported checksum trailer {trailer}.");
            }

            return (name, null);
        }

        var sdkAlgorithm = request.Header("x-amz-sdk-checksum-algorithm")?.ToUpperInvariant();
        if (sdkAlgorithm is not null)
        {
            if (Array.IndexOf(ChecksumAlgorithmNames.All, sdkAlgorithm) < 0)
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, $"Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }

            return (sdkAlgorithm, null);
        }

        return (null, null);
    }

    /// <summary>System-metadata entries ComIO keeps for itself (e.g. the object ACL); never sent as response headers.</summary>
    public const string InternalMetadataPrefix = "x-comio-";

    /// <summary>The system-metadata entry in which the storage engine keeps a version's replication status.</summary>
    public const string ReplicationStatusMetadata = "x-comio-replication-status";

    /// <summary>Writes the headers GET and HEAD return for an object (the Object Lock ones, which depend on the caller's
    /// permissions, are written by <see cref="ObjectLockHeaders.WriteResponseHeadersAsync"/>).</summary>
    public static void WriteObjectHeaders(S3Request request, ObjectInfo info, bool includeChecksum)
    {
        var headers = request.Response.Headers;
        headers.ETag = Quote(info.ETag);
        headers.LastModified = S3Xml.HttpDate(info.LastModified);
        headers.AcceptRanges = "bytes";
        headers.ContentType = info.ContentType ?? DefaultContentType;
        foreach (var (name, value) in info.SystemMetadata)
        {
            if (!name.StartsWith(InternalMetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                headers[name] = value;
            }
        }

        foreach (var (name, value) in info.UserMetadata)
        {
            headers[UserMetadataPrefix + name] = EncodeHeaderValue(value);
        }

        if (includeChecksum && info.ChecksumAlgorithm is { } algorithm && info.Checksum is { } checksum)
        {
            headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = checksum;
            headers["x-amz-checksum-type"] = "FULL_OBJECT";
        }

        if (info.SystemMetadata.GetValueOrDefault(ReplicationStatusMetadata) is { } replicationStatus)
        {
            headers["x-amz-replication-status"] = replicationStatus;
        }

        TaggingHandlers.WriteTaggingCount(request.Response, info);
        ApplyResponseOverrides(request);
    }

    public static string Quote(string etag) => etag.StartsWith('"') ? etag : $"\"{etag}\"";

    /// <summary>The <c>response-*</c> query parameters override the stored headers of a GET (signed requests only).</summary>
    private static void ApplyResponseOverrides(S3Request request)
    {
        if (request.Auth.IsAnonymous)
        {
            return;
        }

        Span<(string Query, string Header)> overrides =
        [
            ("response-content-type", "Content-Type"),
            ("response-content-language", "Content-Language"),
            ("response-expires", "Expires"),
            ("response-cache-control", "Cache-Control"),
            ("response-content-disposition", "Content-Disposition"),
            ("response-content-encoding", "Content-Encoding"),
        ];
        foreach (var (query, header) in overrides)
        {
            var value = request.Query[query];
            if (value.Count > 0)
            {
                request.Response.Headers[header] = value.ToString();
            }
        }
    }

    private static string StripAwsChunked(string contentEncoding)
    {
        var parts = contentEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase));
        return string.Join(",", parts);
    }

    /// <summary>True when <paramref name="base64"/> decodes to exactly the digest size of <paramref name="algorithm"/>.</summary>
    private static bool IsValidChecksumValue(string algorithm, string base64)
    {
        var size = algorithm switch
        {
            "CRC32" or "CRC32C" => 4,
            "CRC64NVME" => 8,
            "SHA1" => 20,
            _ => 32,
        };
        Span<byte> buffer = stackalloc byte[48];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written == size;
    }

    private static bool IsValidMd5(string base64)
    {
        Span<byte> buffer = stackalloc byte[24];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written == 16;
    }

    /// <summary>Header values must be ASCII; non-ASCII metadata is returned RFC 2047-encoded as AWS does.</summary>
    private static string EncodeHeaderValue(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) + "?=";
            }
        }

        return value;
    }
}
