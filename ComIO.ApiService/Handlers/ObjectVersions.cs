using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Shared S3 versioning protocol bits of object operations: the <c>versionId</c> query parameter, the
/// <c>x-amz-version-id</c> / <c>x-amz-delete-marker</c> response headers, and the errors for delete markers.
/// </summary>
public static class ObjectVersions
{
    public const string VersionIdHeader = "x-amz-version-id";
    public const string DeleteMarkerHeader = "x-amz-delete-marker";

    /// <summary>
    /// The request's <c>versionId</c> query parameter, or null when absent. A value ComIO cannot have issued is 400
    /// InvalidArgument "Invalid version id specified", as S3 answers.
    /// </summary>
    public static string? VersionIdOf(S3Request request) =>
        request.Query.TryGetValue("versionId", out var values) ? Validated(values.ToString()) : null;

    /// <summary>Throws InvalidArgument unless <paramref name="versionId"/> has the shape of a version id.</summary>
    public static string Validated(string versionId) =>
        VersionIdSyntax.IsValid(versionId)
            ? versionId
            : throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid version id specified") { ExtraElements = [new("ArgumentName", "versionId"), new("ArgumentValue", versionId)] };

    /// <summary>Sets <c>x-amz-version-id</c> (when there is an id to report) on the response.</summary>
    public static void WriteVersionId(S3Request request, string? versionId)
    {
        if (versionId is not null)
        {
            request.Response.Headers[VersionIdHeader] = versionId;
        }
    }

    /// <summary>
    /// The S3 error for a failed GET/HEAD of an object version: with a delete marker reported by the node, 404 NoSuchKey
    /// (latest version is a marker) or 405 MethodNotAllowed (the marker was named by version id), both with
    /// <c>x-amz-delete-marker: true</c> and the marker's <c>x-amz-version-id</c>; otherwise the mapped node error.
    /// </summary>
    public static S3Exception ToS3(NodeError error, ObjectInfo? deleteMarker)
    {
        var exception = Nodes.NodeErrorMapper.ToS3(error);
        if (deleteMarker is { IsDeleteMarker: true } && error.Status is NodeStatus.NoSuchKey or NodeStatus.MethodNotAllowed)
        {
            List<KeyValuePair<string, string>> headers = [new(DeleteMarkerHeader, "true"), new(VersionIdHeader, deleteMarker.VersionId)];
            if (error.Status == NodeStatus.MethodNotAllowed)
            {
                headers.Add(new("Last-Modified", S3Xml.HttpDate(deleteMarker.LastModified)));
                headers.Add(new("Allow", "DELETE"));
            }

            return new S3Exception(exception.Error, exception.Message) { ResponseHeaders = headers };
        }

        return exception;
    }
}
