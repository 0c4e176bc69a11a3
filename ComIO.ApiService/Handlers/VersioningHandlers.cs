using System.Xml;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// PutBucketVersioning and ListObjectVersions (GetBucketVersioning is <see cref="BucketHandlers.GetBucketVersioningAsync"/>).
/// The versioning state is a bucket setting written to every node of the site (<see cref="BucketSettingsStore.SetAsync"/>);
/// each node's engine applies it atomically with every write. Listing versions is scatter-gather like
/// <see cref="BucketLister"/>: each node returns its versions in S3 order after the markers, the pages are merged by key.
/// </summary>
public sealed class VersioningHandlers(ClusterNodes cluster, StorageNodeClient nodes, BucketSettingsStore settingsStore)
{
    private const int MaxBodyBytes = 16 * 1024;

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = MaxBodyBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>
    /// PutBucketVersioning: <c>&lt;VersioningConfiguration&gt;&lt;Status&gt;Enabled|Suspended&lt;/Status&gt;</c>. Any other
    /// shape or value is MalformedXML; MFA delete (<c>MfaDelete</c> Enabled, or the <c>x-amz-mfa</c> header) is NotImplemented.
    /// </summary>
    public async Task PutAsync(S3Request request)
    {
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        var (status, mfaDelete) = Parse(body);
        if (mfaDelete == "Enabled" || request.Header("x-amz-mfa") is not null)
        {
            throw new S3Exception(S3ErrorCode.NotImplemented, "MFA delete is not implemented by ComIO.");
        }

        if (status is null)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        var settings = await settingsStore.GetAsync(request); // NoSuchBucket before writing anywhere
        if (status != "Enabled" && settings[BucketSettingNames.ObjectLock] is not null)
        {
            throw new S3Exception(ObjectLockErrorCodes.VersioningLocked);
        }

        if (status != "Enabled" && settings[BucketSettingNames.Replication] is not null)
        {
            throw new S3Exception(S3ErrorCodes.InvalidBucketState, "A replication configuration is present on this bucket, so you cannot change the versioning state. To change the versioning state, first delete the replication configuration.");
        }

        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Versioning, status, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    /// <summary>Parses a VersioningConfiguration body: (Status, MfaDelete), each null when absent. MalformedXML otherwise.</summary>
    public static (string? Status, string? MfaDelete) Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        string? status = null;
        string? mfa = null;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body, writable: false), XmlSettings);
            reader.MoveToContent();
            if (reader.LocalName != "VersioningConfiguration")
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            if (reader.IsEmptyElement)
            {
                return (null, null);
            }

            reader.Read();
            while (reader.NodeType != XmlNodeType.EndElement)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }

                var name = reader.LocalName;
                var value = reader.ReadElementContentAsString();
                switch (name)
                {
                    case "Status" when status is null && value is "Enabled" or "Suspended":
                        status = value;
                        break;
                    case "MfaDelete" or "MFADelete" when mfa is null && value is "Enabled" or "Disabled":
                        mfa = value;
                        break;
                    default:
                        throw new S3Exception(S3ErrorCode.MalformedXML);
                }
            }

            reader.Read();
            if (!reader.EOF && reader.NodeType != XmlNodeType.None)
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return (status, mfa);
    }

    /// <summary>
    /// ListObjectVersions (<c>GET /bucket?versions</c>): prefix, delimiter, key-marker, version-id-marker, max-keys,
    /// encoding-type. Versions and delete markers in S3 order (key ascending, newest first) with IsLatest; common prefixes
    /// roll up keys under the delimiter. A page costs O(max-keys) node entries.
    /// </summary>
    public async Task ListAsync(S3Request request)
    {
        var query = request.Query;
        var prefix = query["prefix"].ToString();
        var delimiter = query["delimiter"].ToString() is { Length: > 0 } d ? d : null;
        var maxKeys = ListObjectsHandler.ParseMaxKeys(request);
        var encodingType = ListObjectsHandler.EncodingType(request);
        var keyMarker = query["key-marker"].ToString();
        var versionIdMarker = query["version-id-marker"].ToString();
        if (versionIdMarker.Length > 0)
        {
            if (keyMarker.Length == 0)
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "A version-id marker cannot be specified without a key marker.");
            }

            ObjectVersions.Validated(versionIdMarker);
        }

        var settings = await settingsStore.GetAsync(request);
        var page = await ListPageAsync(request.Bucket, prefix, delimiter, keyMarker.Length == 0 ? null : keyMarker, versionIdMarker.Length == 0 ? null : versionIdMarker, maxKeys, request.Aborted);
        var owners = new ListingOwners(settings);
        await S3Responses.XmlAsync(request, S3Xml.Document("ListVersionsResult", xml =>
        {
            xml.Element("Name", request.Bucket);
            xml.Element("Prefix", ListObjectsHandler.Encode(prefix, encodingType));
            xml.Element("KeyMarker", ListObjectsHandler.Encode(keyMarker, encodingType));
            xml.Element("VersionIdMarker", versionIdMarker);
            if (page.IsTruncated)
            {
                xml.Element("NextKeyMarker", ListObjectsHandler.Encode(page.NextKeyMarker ?? "", encodingType));
                if (page.NextVersionIdMarker is not null)
                {
                    xml.Element("NextVersionIdMarker", page.NextVersionIdMarker);
                }
            }

            xml.Element("MaxKeys", maxKeys);
            if (delimiter is not null)
            {
                xml.Element("Delimiter", ListObjectsHandler.Encode(delimiter, encodingType));
            }

            if (encodingType is not null)
            {
                xml.Element("EncodingType", encodingType);
            }

            xml.Element("IsTruncated", page.IsTruncated);
            foreach (var entry in page.Versions)
            {
                xml.WriteStartElement(entry.IsDeleteMarker ? "DeleteMarker" : "Version");
                xml.Element("Key", ListObjectsHandler.Encode(entry.Key, encodingType));
                xml.Element("VersionId", entry.VersionId);
                xml.Element("IsLatest", entry.IsLatest);
                xml.Element("LastModified", entry.LastModified);
                if (!entry.IsDeleteMarker)
                {
                    xml.ETagElement(entry.ETag);
                    xml.Element("Size", entry.Size);
                    xml.Element("StorageClass", "STANDARD");
                }

                BucketHandlers.WriteOwner(xml, owners.Of(entry.SystemMetadata));
                xml.WriteEndElement();
            }

            foreach (var common in page.CommonPrefixes)
            {
                xml.WriteStartElement("CommonPrefixes");
                xml.Element("Prefix", ListObjectsHandler.Encode(common, encodingType));
                xml.WriteEndElement();
            }
        }));
    }

    /// <summary>One merged page: versions, common prefixes, and the markers the next page resumes after.</summary>
    private sealed record VersionPage(List<ObjectInfo> Versions, List<string> CommonPrefixes, bool IsTruncated, string? NextKeyMarker, string? NextVersionIdMarker);

    private async Task<VersionPage> ListPageAsync(string bucket, string prefix, string? delimiter, string? keyMarker, string? versionIdMarker, int maxKeys, CancellationToken ct)
    {
        var versions = new List<ObjectInfo>();
        var prefixes = new List<string>();
        string? nextKey = null;
        string? nextVersion = null;

        // A key marker that is itself a common prefix resumes after everything under it (as BucketLister does).
        if (delimiter is not null && keyMarker is not null && versionIdMarker is null && keyMarker.StartsWith(prefix, StringComparison.Ordinal)
            && BucketLister.CommonPrefixOf(keyMarker, prefix, delimiter) == keyMarker)
        {
            keyMarker += BucketLister.AfterEverything;
        }

        if (maxKeys == 0)
        {
            (await nodes.GetBucketAsync(cluster.All[0], bucket, ct).ConfigureAwait(false)).OrThrow();
            return new VersionPage(versions, prefixes, false, null, null);
        }

        var perNode = BucketLister.PerNodeEstimate(maxKeys + 1, cluster.All.Count);
        while (true)
        {
            var (batch, more, cut) = await MergedBatchAsync(bucket, prefix, keyMarker, versionIdMarker, maxKeys + 1, perNode, ct);
            if (cut)
            {
                perNode = maxKeys + 1; // the keys here are not spread evenly: ask for whole pages from now on
            }

            if (batch.Count == 0)
            {
                return new VersionPage(versions, prefixes, false, null, null);
            }

            var jumped = false;
            foreach (var entry in batch)
            {
                var common = delimiter is null ? null : BucketLister.CommonPrefixOf(entry.Key, prefix, delimiter);
                if (versions.Count + prefixes.Count == maxKeys)
                {
                    return new VersionPage(versions, prefixes, true, nextKey, nextVersion);
                }

                if (common is not null)
                {
                    // Roll the key (and every later key under the prefix) up, then resume past everything under it.
                    prefixes.Add(common);
                    nextKey = common;
                    nextVersion = null;
                    keyMarker = common + BucketLister.AfterEverything;
                    versionIdMarker = null;
                    jumped = true;
                    break;
                }

                versions.Add(entry);
                nextKey = keyMarker = entry.Key;
                nextVersion = versionIdMarker = entry.VersionId;
            }

            if (!jumped && !more)
            {
                return new VersionPage(versions, prefixes, false, null, null);
            }
        }
    }

    /// <summary>
    /// Versions after the markers over all nodes, in S3 order: the first <paramref name="count"/>, or fewer when a
    /// node's answer ran out first (<c>Cut</c>); see <see cref="BucketLister.MergePages"/>, whose cut may fall between
    /// two versions of a key. Each node returns up to <paramref name="perNode"/> versions (see
    /// <see cref="BucketLister.PerNodeEstimate"/>). Entries carry each version's ACL, from which its owner is named.
    /// </summary>
    private async Task<(List<ObjectInfo> Batch, bool More, bool Cut)> MergedBatchAsync(string bucket, string prefix, string? keyMarker, string? versionIdMarker, int count, int perNode,
        CancellationToken ct)
    {
        var pages = await Task.WhenAll(cluster.All.Select(node =>
            nodes.ListVersionsAsync(node, bucket, prefix.Length == 0 ? null : prefix, keyMarker, versionIdMarker, perNode, ct, Authorizer.ObjectAclMetadata))).ConfigureAwait(false);
        return BucketLister.MergePages(pages.Select(static page => page.OrThrow()!).Select(static page => (page.Versions, page.IsTruncated)), count);
    }
}
