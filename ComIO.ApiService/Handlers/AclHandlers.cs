using ComIO.ApiService.Authorization;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Placement;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// GetBucketAcl, PutBucketAcl, GetObjectAcl, PutObjectAcl. Bucket ACLs are bucket settings; an object's ACL (which also
/// names its owner) lives in the object's system metadata and is replaced in place on its owning node.
/// </summary>
public sealed class AclHandlers(BucketSettingsStore settingsStore, AclAssignment assignment, ClusterNodes cluster, StorageNodeClient nodes)
{
    public async Task GetBucketAclAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        await S3Responses.XmlAsync(request, AccessControlPolicyXml.Write(settings.Acl));
    }

    public async Task PutBucketAclAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, AccessControlPolicyXml.MaxBodyBytes);
        var acl = await assignment.ForReplacementAsync(request, body, settings.Owner, settings, forBucket: true);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Acl, AclAssignment.Serialize(acl), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>GetObjectAcl of the current version, or with <c>?versionId=</c> of that version (405 for a delete marker).</summary>
    public async Task GetObjectAclAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var settings = await settingsStore.GetAsync(request);
        var info = await VersionInfoAsync(request, cluster.OwnerOf(request.Bucket, request.Key), ObjectVersions.VersionIdOf(request));

        // Under BucketOwnerEnforced the bucket owner owns every object with full control, whatever ACL was stored before.
        var acl = settings.Ownership == ObjectOwnership.BucketOwnerEnforced ? CannedAcl.PrivateFor(settings.Owner) : Authorizer.ObjectAcl(info.SystemMetadata, settings);
        await S3Responses.XmlAsync(request, AccessControlPolicyXml.Write(acl));
    }

    /// <summary>
    /// PutObjectAcl of the current version, or with <c>?versionId=</c> of that version only (the other versions keep
    /// theirs, as on S3); the data, ETag and Last-Modified are unchanged.
    /// </summary>
    public async Task PutObjectAclAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        var settings = await settingsStore.GetAsync(request);
        var node = cluster.OwnerOf(request.Bucket, request.Key);
        var info = await VersionInfoAsync(request, node, versionId);
        var current = Authorizer.ObjectAcl(info.SystemMetadata, settings);
        var body = await S3Requests.ReadSmallBodyAsync(request, AccessControlPolicyXml.MaxBodyBytes);
        var acl = await assignment.ForReplacementAsync(request, body, current.Owner, settings, forBucket: false);
        var changes = new Dictionary<string, string?> { [Authorizer.ObjectAclMetadata] = AclAssignment.Serialize(acl) };
        (await nodes.SetObjectSystemMetadataAsync(node, request.Bucket, request.Key, changes, request.Aborted, versionId)).OrThrow();
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The named version (or the current one): NoSuchKey / NoSuchVersion / 405 for a delete marker otherwise.</summary>
    private async Task<ObjectInfo> VersionInfoAsync(S3Request request, StorageNodeInfo node, string? versionId)
    {
        var (found, deleteMarker) = await nodes.GetObjectVersionInfoAsync(node, request.Bucket, request.Key, versionId, request.Aborted).ConfigureAwait(false);
        return found.IsSuccess ? found.Value! : throw ObjectVersions.ToS3(found.Error!, deleteMarker);
    }
}
