using System.Globalization;
using System.Net;
using System.Text;
using System.Xml;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>ListObjectsV2 and ListObjects (V1) over the merged, sorted listing of all nodes.</summary>
public sealed class ListObjectsHandler(BucketLister lister, BucketSettingsStore settingsStore)
{
    private const int MaxKeysLimit = 1000;

    public async Task ListV2Async(S3Request request)
    {
        var prefix = request.Query["prefix"].ToString();
        var delimiter = NullIfEmpty(request.Query["delimiter"].ToString());
        var maxKeys = ParseMaxKeys(request);
        var encodingType = EncodingType(request);
        var fetchOwner = string.Equals(request.Query["fetch-owner"], "true", StringComparison.OrdinalIgnoreCase);
        var continuationToken = request.Query.ContainsKey("continuation-token") ? request.Query["continuation-token"].ToString() : null;
        var startAfter = NullIfEmpty(request.Query["start-after"].ToString());
        string? resume;
        if (continuationToken is not null)
        {
            resume = DecodeToken(continuationToken);
        }
        else
        {
            resume = startAfter;
        }

        var page = await lister.ListAsync(request.Bucket, prefix, delimiter, resume, maxKeys, request.Aborted, withOwners: fetchOwner);
        var settings = fetchOwner ? await settingsStore.GetAsync(request) : null;
        var body = S3Xml.Document("ListBucketResult", xml =>
        {
            xml.Element("Name", request.Bucket);
            xml.Element("Prefix", Encode(prefix, encodingType));
            if (continuationToken is not null)
            {
                xml.Element("ContinuationToken", continuationToken);
            }

            if (page.IsTruncated && page.ResumeAfter is not null)
            {
                xml.Element("NextContinuationToken", EncodeToken(page.ResumeAfter));
            }

            if (startAfter is not null)
            {
                xml.Element("StartAfter", Encode(startAfter, encodingType));
            }

            xml.Element("KeyCount", page.Objects.Count + page.CommonPrefixes.Count);
            WritePage(xml, page, maxKeys, delimiter, encodingType, settings);
        });
        await S3Responses.XmlAsync(request, body);
    }

    public async Task ListV1Async(S3Request request)
    {
        var prefix = request.Query["prefix"].ToString();
        var delimiter = NullIfEmpty(request.Query["delimiter"].ToString());
        var maxKeys = ParseMaxKeys(request);
        var encodingType = EncodingType(request);
        var marker = request.Query["marker"].ToString();
        var page = await lister.ListAsync(request.Bucket, prefix, delimiter, NullIfEmpty(marker), maxKeys, request.Aborted, withOwners: true);
        var settings = await settingsStore.GetAsync(request);
        var body = S3Xml.Document("ListBucketResult", xml =>
        {
            xml.Element("Name", request.Bucket);
            xml.Element("Prefix", Encode(prefix, encodingType));
            xml.Element("Marker", Encode(marker, encodingType));
            if (page.IsTruncated && delimiter is not null && page.LastReturned is not null)
            {
                xml.Element("NextMarker", Encode(page.LastReturned, encodingType));
            }

            WritePage(xml, page, maxKeys, delimiter, encodingType, settings);
        });
        await S3Responses.XmlAsync(request, body);
    }

    /// <summary>The part both listing versions share, in S3's order: MaxKeys, Delimiter, EncodingType, IsTruncated, entries.</summary>
    private static void WritePage(XmlWriter xml, ListingPage page, int maxKeys, string? delimiter, string? encodingType, BucketSettings? owners)
    {
        xml.Element("MaxKeys", maxKeys);
        if (delimiter is not null)
        {
            xml.Element("Delimiter", Encode(delimiter, encodingType));
        }

        if (encodingType is not null)
        {
            xml.Element("EncodingType", encodingType);
        }

        xml.Element("IsTruncated", page.IsTruncated);
        WriteEntries(xml, page, encodingType, owners);
    }

    /// <summary>Writes the page's entries; with <paramref name="owners"/> each entry names its object's owner (from its ACL).</summary>
    private static void WriteEntries(XmlWriter xml, ListingPage page, string? encodingType, BucketSettings? owners)
    {
        var entryOwners = owners is null ? null : new ListingOwners(owners);
        foreach (var entry in page.Objects)
        {
            xml.WriteStartElement("Contents");
            xml.Element("Key", Encode(entry.Key, encodingType));
            xml.Element("LastModified", entry.LastModified);
            xml.ETagElement(entry.ETag);
            if (entry.ChecksumAlgorithm is { } algorithm)
            {
                xml.Element("ChecksumAlgorithm", algorithm);
                xml.Element("ChecksumType", "FULL_OBJECT");
            }

            xml.Element("Size", entry.Size);
            if (entryOwners is not null)
            {
                BucketHandlers.WriteOwner(xml, entryOwners.Of(entry.SystemMetadata));
            }

            xml.Element("StorageClass", "STANDARD");
            xml.WriteEndElement();
        }

        foreach (var common in page.CommonPrefixes)
        {
            xml.WriteStartElement("CommonPrefixes");
            xml.Element("Prefix", Encode(common, encodingType));
            xml.WriteEndElement();
        }
    }

    internal static int ParseMaxKeys(S3Request request)
    {
        var text = request.Query["max-keys"].ToString();
        if (text.Length == 0)
        {
            return MaxKeysLimit;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Provided max-keys not an integer or within integer range");
        }

        return Math.Min(value, MaxKeysLimit);
    }

    internal static string? EncodingType(S3Request request)
    {
        var value = request.Query["encoding-type"].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        return value == "url" ? value : throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid Encoding Method specified in Request");
    }

    internal static string Encode(string value, string? encodingType) =>
        encodingType is null ? value : WebUtility.UrlEncode(value).Replace("%2F", "/", StringComparison.Ordinal);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>Continuation tokens are opaque to clients: base64url of the key the next page starts after.</summary>
    public static string EncodeToken(string resumeAfter) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(resumeAfter)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string DecodeToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return new UTF8Encoding(false, true).GetString(Convert.FromBase64String(base64));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The continuation token provided is incorrect");
        }
    }
}
