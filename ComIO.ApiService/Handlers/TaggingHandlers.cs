using System.Globalization;
using System.Security.Cryptography;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Bodies;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Object tagging: PutObjectTagging (<c>PUT ?tagging</c>), GetObjectTagging (<c>GET ?tagging</c>),
/// DeleteObjectTagging (<c>DELETE ?tagging</c>), plus the tag handling of writes: the <c>x-amz-tagging</c> header and
/// CopyObject's <c>x-amz-tagging-directive</c>, and the <c>x-amz-tagging-count</c> response header of GET/HEAD.
/// A tag set is replaced as a whole, atomically, on the node that owns the key; the object's data, ETag and
/// Last-Modified do not change.
/// </summary>
public sealed class TaggingHandlers(ClusterNodes cluster, StorageNodeClient nodes)
{
    /// <summary>Response header of GetObject/HeadObject: the number of tags, present only when the object has tags.</summary>
    public const string TaggingCountHeader = "x-amz-tagging-count";

    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>Runs the tagging operation of an object request carrying the <c>tagging</c> sub-resource.</summary>
    public Task RouteAsync(S3Request request)
    {
        var method = request.Http.Request.Method;
        if (HttpMethods.IsGet(method))
        {
            return GetAsync(request);
        }

        if (HttpMethods.IsPut(method))
        {
            return PutAsync(request);
        }

        if (HttpMethods.IsDelete(method))
        {
            return DeleteAsync(request);
        }

        throw new S3Exception(S3ErrorCode.MethodNotAllowed);
    }

    /// <summary>GetObjectTagging: 200 with <c>&lt;Tagging&gt;&lt;TagSet&gt;</c> in stored order (empty TagSet when untagged); NoSuchKey when absent.</summary>
    public async Task GetAsync(S3Request request)
    {
        Prepare(request);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        var (found, deleteMarker) = await nodes.GetObjectVersionInfoAsync(owner, request.Bucket, request.Key, versionId, request.Aborted).ConfigureAwait(false);
        var info = found.IsSuccess ? found.Value! : throw ObjectVersions.ToS3(found.Error!, deleteMarker);
        ObjectVersions.WriteVersionId(request, ObjectHandlers.ReadVersionId(info, versionId));
        await S3Responses.XmlAsync(request, S3Xml.Document("Tagging", xml =>
        {
            xml.WriteStartElement("TagSet");
            foreach (var tag in info.Tags)
            {
                xml.WriteStartElement("Tag");
                xml.Element("Key", tag.Key);
                xml.Element("Value", tag.Value);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }));
    }

    /// <summary>
    /// PutObjectTagging: requires Content-MD5 or an <c>x-amz-checksum-*</c> header (verified against the body), parses
    /// and validates the tag set, replaces the object's tags. 200 with an empty body.
    /// </summary>
    public async Task PutAsync(S3Request request)
    {
        Prepare(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        var tags = TagSetParser.ParseXml(body);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        (await nodes.PutObjectTagsAsync(owner, request.Bucket, request.Key, tags, request.Aborted, versionId).ConfigureAwait(false)).OrThrow();
        ObjectVersions.WriteVersionId(request, versionId);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    /// <summary>DeleteObjectTagging: removes every tag; 204 (also when the object had none); NoSuchKey when absent.</summary>
    public async Task DeleteAsync(S3Request request)
    {
        Prepare(request);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        (await nodes.PutObjectTagsAsync(owner, request.Bucket, request.Key, [], request.Aborted, versionId).ConfigureAwait(false)).OrThrow();
        ObjectVersions.WriteVersionId(request, versionId);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// The tag set of a CopyObject destination: the source's tags with <c>x-amz-tagging-directive: COPY</c> (the
    /// default; an <c>x-amz-tagging</c> header is then ignored, as S3 does), the header's tags with <c>REPLACE</c>.
    /// Any other directive is InvalidArgument.
    /// </summary>
    public static List<ObjectTag> CopyTags(S3Request request, ObjectInfo source)
    {
        var directive = request.Header("x-amz-tagging-directive")?.Trim().ToUpperInvariant() ?? "COPY";
        return directive switch
        {
            "COPY" => [.. source.Tags],
            "REPLACE" => TagSetParser.ParseHeader(request.Header(TagSetParser.TaggingHeader)),
            _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown tagging directive."),
        };
    }

    /// <summary>Writes <c>x-amz-tagging-count</c> on a GET/HEAD response when the object has tags.</summary>
    public static void WriteTaggingCount(HttpResponse response, ObjectInfo info)
    {
        if (info.Tags.Count > 0)
        {
            response.Headers[TaggingCountHeader] = info.Tags.Count.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Key length check, and the only version of an object (versioning is not implemented) is "null".</summary>
    private static void Prepare(S3Request request) => ObjectHeaders.ValidateKey(request.Key);
}
