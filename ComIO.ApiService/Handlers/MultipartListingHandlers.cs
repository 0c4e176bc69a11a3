using System.Globalization;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>ListParts (one upload, on its key's node) and ListMultipartUploads (merged over all nodes).</summary>
public sealed class MultipartListingHandlers(ClusterNodes cluster, StorageNodeClient nodes, BucketHandlers buckets)
{
    private const int MaxPageSize = 1000;

    public async Task ListPartsAsync(S3Request request)
    {
        var uploadId = request.Query["uploadId"].ToString();
        var maxParts = ParseLimit(request, "max-parts");
        var marker = ParseLimit(request, "part-number-marker", defaultValue: 0, clamp: false);
        var page = (await nodes.ListPartsAsync(cluster.OwnerOf(request.Bucket, request.Key), request.Bucket, request.Key, uploadId, marker, maxParts, request.Aborted).ConfigureAwait(false)).OrThrow()!;
        var owner = buckets.OwnerOf(request);
        await S3Responses.XmlAsync(request, S3Xml.Document("ListPartsResult", xml =>
        {
            xml.Element("Bucket", request.Bucket);
            xml.Element("Key", request.Key);
            xml.Element("UploadId", uploadId);
            WriteInitiator(xml, owner);
            BucketHandlers.WriteOwner(xml, owner);
            xml.Element("StorageClass", "STANDARD");
            xml.Element("PartNumberMarker", marker);
            if (page.Parts.Count > 0)
            {
                xml.Element("NextPartNumberMarker", page.Parts[^1].PartNumber);
            }

            xml.Element("MaxParts", maxParts);
            xml.Element("IsTruncated", page.IsTruncated);
            foreach (var part in page.Parts)
            {
                xml.WriteStartElement("Part");
                xml.Element("PartNumber", part.PartNumber);
                xml.Element("LastModified", part.LastModified);
                xml.ETagElement(part.ETag);
                if (part.ChecksumAlgorithm is { } algorithm && part.Checksum is { } checksum)
                {
                    xml.Element("Checksum" + ChecksumElementSuffix(algorithm), checksum);
                }

                xml.Element("Size", part.Size);
                xml.WriteEndElement();
            }
        }));
    }

    public async Task ListUploadsAsync(S3Request request)
    {
        var prefix = request.Query["prefix"].ToString();
        var delimiter = request.Query["delimiter"].ToString();
        var keyMarker = request.Query["key-marker"].ToString();
        var uploadIdMarker = request.Query["upload-id-marker"].ToString();
        var maxUploads = ParseLimit(request, "max-uploads");
        var pages = await Task.WhenAll(cluster.All.Select(node => nodes.ListUploadsAsync(
            node, request.Bucket, Empty(prefix), Empty(keyMarker), Empty(uploadIdMarker), maxUploads + 1, request.Aborted))).ConfigureAwait(false);
        var uploads = pages.SelectMany(p => p.OrThrow()!.Uploads).ToList();
        uploads.Sort((a, b) =>
        {
            var byKey = Utf8KeyComparer.Instance.Compare(a.Key, b.Key);
            return byKey != 0 ? byKey : a.Initiated != b.Initiated ? a.Initiated.CompareTo(b.Initiated) : string.CompareOrdinal(a.UploadId, b.UploadId);
        });

        var entries = new List<MultipartUploadInfo>();
        var prefixes = new List<string>();
        var truncated = false;
        foreach (var upload in uploads)
        {
            var common = delimiter.Length == 0 ? null : BucketLister.CommonPrefixOf(upload.Key, prefix, delimiter);
            if (common is not null && prefixes.Count > 0 && prefixes[^1] == common)
            {
                continue;
            }

            if (entries.Count + prefixes.Count == maxUploads)
            {
                truncated = true;
                break;
            }

            if (common is not null)
            {
                prefixes.Add(common);
            }
            else
            {
                entries.Add(upload);
            }
        }

        var owner = buckets.OwnerOf(request);
        await S3Responses.XmlAsync(request, S3Xml.Document("ListMultipartUploadsResult", xml =>
        {
            xml.Element("Bucket", request.Bucket);
            xml.Element("KeyMarker", keyMarker);
            xml.Element("UploadIdMarker", uploadIdMarker);
            if (truncated && entries.Count > 0)
            {
                xml.Element("NextKeyMarker", entries[^1].Key);
                xml.Element("NextUploadIdMarker", entries[^1].UploadId);
            }

            xml.Element("Prefix", prefix);
            if (delimiter.Length > 0)
            {
                xml.Element("Delimiter", delimiter);
            }

            xml.Element("MaxUploads", maxUploads);
            xml.Element("IsTruncated", truncated);
            foreach (var upload in entries)
            {
                xml.WriteStartElement("Upload");
                xml.Element("Key", upload.Key);
                xml.Element("UploadId", upload.UploadId);
                WriteInitiator(xml, owner);
                BucketHandlers.WriteOwner(xml, owner);
                xml.Element("StorageClass", "STANDARD");
                xml.Element("Initiated", upload.Initiated);
                xml.WriteEndElement();
            }

            foreach (var common in prefixes)
            {
                xml.WriteStartElement("CommonPrefixes");
                xml.Element("Prefix", common);
                xml.WriteEndElement();
            }
        }));
    }

    /// <summary>The element suffix S3 uses for a checksum algorithm: CRC32, CRC32C, CRC64NVME, SHA1, SHA256.</summary>
    public static string ChecksumElementSuffix(string algorithm) => algorithm.ToUpperInvariant();

    private static void WriteInitiator(System.Xml.XmlWriter xml, Authorization.Acls.AclOwner owner)
    {
        xml.WriteStartElement("Initiator");
        xml.Element("ID", owner.Id);
        xml.Element("DisplayName", owner.DisplayName);
        xml.WriteEndElement();
    }

    private static int ParseLimit(S3Request request, string name, int defaultValue = MaxPageSize, bool clamp = true)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, $"Provided {name} not an integer or within integer range");
        }

        return clamp ? Math.Min(value, MaxPageSize) : value;
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
