using System.Text;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Protocol.Routing;

/// <summary>
/// Decodes the request target into bucket and key. Virtual-host style applies when the Host header ends with one of
/// the configured base domains (e.g. <c>s3.localhost</c>); otherwise the first path segment is the bucket.
/// </summary>
public sealed class S3TargetParser(IReadOnlyList<string> virtualHostDomains)
{
    /// <param name="rawPath">The path exactly as sent (still percent-encoded), without the query.</param>
    public S3Target Parse(string host, string rawPath)
    {
        var hostName = StripPort(host);
        string? bucket = null;
        foreach (var domain in virtualHostDomains)
        {
            if (hostName.Length > domain.Length + 1
                && hostName.EndsWith(domain, StringComparison.OrdinalIgnoreCase)
                && hostName[hostName.Length - domain.Length - 1] == '.')
            {
                bucket = hostName[..(hostName.Length - domain.Length - 1)];
                break;
            }
        }

        var path = rawPath.StartsWith('/') ? rawPath[1..] : rawPath;
        if (bucket is not null)
        {
            return Checked(new S3Target(bucket, path.Length == 0 ? null : Decode(path)));
        }

        if (path.Length == 0)
        {
            return new S3Target(null, null);
        }

        var slash = path.IndexOf('/');
        if (slash < 0)
        {
            return Checked(new S3Target(Decode(path), null));
        }

        var key = path[(slash + 1)..];
        return Checked(new S3Target(Decode(path[..slash]), key.Length == 0 ? null : Decode(key)));
    }

    /// <summary>
    /// A bucket named "." or ".." (e.g. <c>/../key</c> or <c>/%2e%2e/key</c>) is a dot segment, never a bucket: it
    /// would walk up the storage nodes' internal API paths (found by fuzzing: <c>PUT /../p</c> answered 500).
    /// </summary>
    private static S3Target Checked(S3Target target) =>
        target.Bucket is "." or ".." ? throw new S3Exception(S3ErrorCode.InvalidBucketName) : target;

    private static string StripPort(string host)
    {
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']');
            return end < 0 ? host : host[..(end + 1)];
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }

    /// <summary>Percent-decodes once into UTF-8, leaving <c>+</c> alone; invalid UTF-8 is an InvalidURI-style error.</summary>
    public static string Decode(string encoded)
    {
        if (!encoded.Contains('%'))
        {
            return encoded;
        }

        var bytes = new List<byte>(encoded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                bytes.Add((byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                // One scalar value at a time: a lone surrogate is not text (and used to overflow the 4-byte buffer when
                // followed by a non-ASCII character).
                if (Rune.DecodeFromUtf16(encoded.AsSpan(i), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                {
                    throw new S3Exception(S3ErrorCodes.InvalidURI, "Couldn't parse the specified URI.");
                }

                var n = rune.EncodeToUtf8(utf8);
                for (var j = 0; j < n; j++)
                {
                    bytes.Add(utf8[j]);
                }

                i += consumed - 1;
            }
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            throw new S3Exception(S3ErrorCodes.InvalidURI, "Couldn't parse the specified URI.");
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
