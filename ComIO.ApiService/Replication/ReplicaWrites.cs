using ComIO.ApiService.Authorization;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;

namespace ComIO.ApiService.Replication;

/// <summary>
/// Recognises a replication worker's write on this (destination) site by its <see cref="ReplicaHeaders"/> and
/// authorizes it: <c>s3:ReplicateObject</c> for PUT / CompleteMultipartUpload, <c>s3:ReplicateDelete</c> for a delete
/// marker. The version id must be one a ComIO site issues.
/// </summary>
public static class ReplicaWrites
{
    /// <summary>The replica identity of the request, authorized; null for an ordinary write.</summary>
    public static async Task<ReplicaInfo?> ReadAsync(S3Request request, Authorizer authorizer, bool deleteMarker)
    {
        var versionId = request.Header(ReplicaHeaders.VersionId);
        if (versionId is null)
        {
            return null;
        }

        if (versionId == VersionIdSyntax.Null || !VersionIdSyntax.IsValid(versionId))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, $"Invalid {ReplicaHeaders.VersionId}.");
        }

        if (deleteMarker != string.Equals(request.Header(ReplicaHeaders.DeleteMarker), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, deleteMarker
                ? $"A replica DELETE must carry {ReplicaHeaders.DeleteMarker}: true."
                : $"{ReplicaHeaders.DeleteMarker} is only valid on DELETE.");
        }

        await authorizer.AuthorizeAsync(request, deleteMarker ? "s3:ReplicateDelete" : "s3:ReplicateObject", request.Bucket, request.Key);
        return new ReplicaInfo(versionId, request.Header(ReplicaHeaders.ETag));
    }

    /// <summary>
    /// For a single-part replica PUT whose source ETag is a plain MD5, the body must hash to it: the node verifies it
    /// as a Content-MD5, so a corrupted transfer is refused (BadDigest) instead of stored. An SSE-KMS source's ETag is
    /// not its MD5 (as on AWS), so a KMS replica (<paramref name="kmsRequested"/>) is not checked this way.
    /// </summary>
    public static PutObjectMetadata WithEtagCheck(PutObjectMetadata metadata, ReplicaInfo replica, bool kmsRequested)
    {
        var etag = replica.ETag?.Trim('"');
        if (metadata.ContentMd5 is not null || etag is not { Length: 32 } || kmsRequested)
        {
            return metadata;
        }

        try
        {
            return metadata with { ContentMd5 = Convert.ToBase64String(Convert.FromHexString(etag)) };
        }
        catch (FormatException)
        {
            return metadata;
        }
    }
}
