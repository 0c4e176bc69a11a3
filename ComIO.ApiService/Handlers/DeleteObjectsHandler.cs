using System.Security.Cryptography;
using System.Xml;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Bodies;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>DeleteObjects (POST ?delete): up to 1,000 keys per request, quiet mode, per-key errors.</summary>
public sealed class DeleteObjectsHandler(ClusterNodes cluster, StorageNodeClient nodes, BucketHandlers buckets, BucketSettingsStore settingsStore, Replication.ReplicationPlanner replication, Authorizer authorizer)
{
    private const int MaxKeys = 1000;

    /// <summary>Marks a key the caller may not delete (not a node status; never sent to a node).</summary>
    private const string AccessDeniedStatus = "AccessDenied";

    /// <summary>Marks a malformed version id (reported per key as InvalidArgument; never sent to a node).</summary>
    private const string InvalidVersionStatus = "InvalidVersionId";
    private const int MaxBodyBytes = 2 * 1024 * 1024;

    public async Task HandleAsync(S3Request request)
    {
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        var (quiet, keys) = Parse(body);
        await buckets.EnsureExistsAsync(request);
        var settings = await settingsStore.GetAsync(request);

        var outcomes = new (string Key, string? VersionId, NodeError? Error, DeleteObjectOutcome? Outcome)[keys.Count];
        using var throttle = new SemaphoreSlim(16);
        await Task.WhenAll(keys.Select(async (item, index) =>
        {
            await throttle.WaitAsync(request.Aborted).ConfigureAwait(false);
            try
            {
                if (item.VersionId is not null && !VersionIdSyntax.IsValid(item.VersionId))
                {
                    outcomes[index] = (item.Key, item.VersionId, new NodeError(InvalidVersionStatus, "Invalid version id specified"), null);
                    return;
                }

                // As S3, each key is authorized on its own (s3:DeleteObject, or s3:DeleteObjectVersion for a named version)
                // and refused keys are reported per key.
                var action = item.VersionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion";
                if (!await authorizer.IsAllowedAsync(request, action, request.Bucket, item.Key))
                {
                    outcomes[index] = (item.Key, item.VersionId, new NodeError(AccessDeniedStatus, "Access Denied"), null);
                    return;
                }

                var owner = cluster.OwnerOf(request.Bucket, item.Key);
                var bypass = item.VersionId is not null && await ObjectLockHeaders.BypassGovernanceAsync(request, authorizer, item.Key);
                var intent = item.VersionId is null ? replication.IntentFor(settings, item.Key, deleteMarker: true) : null;
                var result = await nodes.DeleteObjectAsync(owner, request.Bucket, item.Key, request.Aborted, item.VersionId, bypass, intent).ConfigureAwait(false);
                var error = result.IsSuccess || result.Error!.Status is NodeStatus.NoSuchKey or NodeStatus.NoSuchVersion ? null : result.Error;
                outcomes[index] = (item.Key, item.VersionId, error, result.Value);
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);

        await S3Responses.XmlAsync(request, S3Xml.Document("DeleteResult", xml =>
        {
            foreach (var (key, versionId, error, outcome) in outcomes)
            {
                if (error is null)
                {
                    if (quiet)
                    {
                        continue;
                    }

                    xml.WriteStartElement("Deleted");
                    xml.Element("Key", key);
                    if (versionId is not null)
                    {
                        xml.Element("VersionId", versionId);
                    }

                    // A marker created (no version id) or removed (its id named): DeleteMarker and its id, as S3 reports.
                    if (outcome is { DeleteMarker: true, VersionId: { } markerId })
                    {
                        xml.Element("DeleteMarker", true);
                        xml.Element("DeleteMarkerVersionId", markerId);
                    }

                    xml.WriteEndElement();
                }
                else
                {
                    var s3 = error.Status == AccessDeniedStatus ? new S3Exception(S3ErrorCode.AccessDenied)
                        : error.Status == InvalidVersionStatus ? new S3Exception(S3ErrorCode.InvalidArgument, error.Message)
                        : NodeErrorMapper.ToS3(error);
                    xml.WriteStartElement("Error");
                    xml.Element("Key", key);
                    if (versionId is not null)
                    {
                        xml.Element("VersionId", versionId);
                    }

                    xml.Element("Code", s3.Error.Code);
                    xml.Element("Message", s3.Message);
                    xml.WriteEndElement();
                }
            }
        }));
    }

    /// <summary>Parses <c>&lt;Delete&gt;</c>; anything that does not match the schema is MalformedXML.</summary>
    public static (bool Quiet, List<(string Key, string? VersionId)> Keys) Parse(byte[] body)
    {
        var quiet = false;
        var keys = new List<(string, string?)>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), S3Requests.SafeXmlSettings);
            reader.MoveToContent();
            if (reader.LocalName != "Delete")
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            if (reader.IsEmptyElement)
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

                switch (reader.LocalName)
                {
                    case "Quiet":
                        quiet = reader.ReadElementContentAsString().Trim() == "true";
                        break;
                    case "Object":
                        keys.Add(ParseObject(reader));
                        if (keys.Count > MaxKeys)
                        {
                            throw new S3Exception(S3ErrorCode.MalformedXML, "The request must contain no more than 1000 keys.");
                        }

                        break;
                    default:
                        throw new S3Exception(S3ErrorCode.MalformedXML);
                }
            }
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        if (keys.Count == 0)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return (quiet, keys);
    }

    private static (string Key, string? VersionId) ParseObject(XmlReader reader)
    {
        string? key = null;
        string? versionId = null;
        if (reader.IsEmptyElement)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                if (reader.EOF)
                {
                    throw new S3Exception(S3ErrorCode.MalformedXML);
                }

                reader.Read();
                continue;
            }

            switch (reader.LocalName)
            {
                case "Key":
                    key = reader.ReadElementContentAsString();
                    break;
                case "VersionId":
                    versionId = reader.ReadElementContentAsString();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        reader.Read();
        if (string.IsNullOrEmpty(key))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        ObjectHeaders.ValidateKey(key);
        return (key, versionId);
    }
}
