using System.Diagnostics;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Pipeline;

/// <summary>
/// Chooses the S3 operation from method, target and sub-resource query parameters, and runs its handler.
/// Operations ComIO does not implement yet answer <c>501 NotImplemented</c>, never a wrong success.
/// </summary>
public sealed class S3Router(
    BucketHandlers buckets,
    ObjectHandlers objects,
    ListObjectsHandler lists,
    DeleteObjectsHandler deletes,
    MultipartHandlers multipart,
    MultipartListingHandlers multipartListing,
    TaggingHandlers tagging,
    AclHandlers acls,
    BucketPolicyHandlers policies,
    BucketAccessSettingsHandlers accessSettings,
    CorsHandlers cors,
    PostObjectHandler postObject,
    VersioningHandlers versioning,
    ObjectLockHandlers objectLock,
    Lifecycle.LifecycleHandlers lifecycle,
    Replication.ReplicationHandlers replication,
    Authorizer authorizer,
    Encryption.BucketEncryptionHandlers bucketEncryption,
    Buckets.BucketSettingsStore settingsStore,
    Identity.IdentityBinding identities)
{
    /// <summary>Bucket sub-resources that name an operation ComIO does not implement yet.</summary>
    private static readonly string[] UnimplementedBucketSubresources =
    [
        "tagging", "website", "logging",
        "notification", "accelerate", "requestPayment",
        "analytics", "inventory", "metrics", "intelligent-tiering", "session",
    ];

    /// <summary>Object sub-resources that name an operation ComIO does not implement yet.</summary>
    private static readonly string[] UnimplementedObjectSubresources =
    [
        "restore", "select", "attributes", "torrent",
    ];

    public Task RouteAsync(S3Request request)
    {
        var method = request.Http.Request.Method;
        if (!request.Target.HasBucket)
        {
            return HttpMethods.IsGet(method)
                ? Run("ListBuckets", buckets.ListBucketsAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        return request.Target.HasKey ? RouteObject(request, method) : RouteBucket(request, method);
    }

    private Task RouteBucket(S3Request request, string method)
    {
        var query = request.Query;
        if (RouteObjectLock(request, method) is { } lockTask)
        {
            return lockTask;
        }

        if (query.ContainsKey("replication"))
        {
            return HttpMethods.IsGet(method) ? Run("GetBucketReplication", replication.GetAsync, request)
                : HttpMethods.IsPut(method) ? Run("PutBucketReplication", replication.PutAsync, request)
                : HttpMethods.IsDelete(method) ? Run("DeleteBucketReplication", replication.DeleteAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("lifecycle"))
        {
            return HttpMethods.IsGet(method) ? Run("GetBucketLifecycleConfiguration", lifecycle.GetAsync, request)
                : HttpMethods.IsPut(method) ? Run("PutBucketLifecycleConfiguration", lifecycle.PutAsync, request)
                : HttpMethods.IsDelete(method) ? Run("DeleteBucketLifecycle", lifecycle.DeleteAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (HttpMethods.IsGet(method))
        {
            if (query.ContainsKey("location"))
            {
                return Run("GetBucketLocation", buckets.GetBucketLocationAsync, request);
            }

            if (query.ContainsKey("versioning"))
            {
                return Run("GetBucketVersioning", buckets.GetBucketVersioningAsync, request);
            }

            if (query.ContainsKey("versions"))
            {
                return Run("ListObjectVersions", versioning.ListAsync, request);
            }

            if (RouteBucketAccessSettings(request, method) is { } accessTask)
            {
                return accessTask;
            }

            if (Unimplemented(request, UnimplementedBucketSubresources) is { } rejected)
            {
                return rejected;
            }

            if (query.ContainsKey("uploads"))
            {
                return Run("ListMultipartUploads", multipartListing.ListUploadsAsync, request);
            }

            return query["list-type"] == "2" ? Run("ListObjectsV2", lists.ListV2Async, request) : Run("ListObjects", lists.ListV1Async, request);
        }

        if (HttpMethods.IsPost(method) && query.ContainsKey("delete"))
        {
            return Run("DeleteObjects", deletes.HandleAsync, request);
        }

        if (HttpMethods.IsPost(method) && query.Count == 0
            && request.Http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            return Run("PostObject", postObject.HandleAsync, request);
        }

        if (RouteBucketAccessSettings(request, method) is { } access)
        {
            return access;
        }

        if (query.ContainsKey("versioning") && HttpMethods.IsPut(method))
        {
            return Run("PutBucketVersioning", versioning.PutAsync, request);
        }

        if (Unimplemented(request, [.. UnimplementedBucketSubresources, "versioning", "uploads"]) is { } unsupported)
        {
            return unsupported;
        }

        if (HttpMethods.IsPut(method))
        {
            return Run("CreateBucket", buckets.CreateBucketAsync, request);
        }

        if (HttpMethods.IsDelete(method))
        {
            return Run("DeleteBucket", buckets.DeleteBucketAsync, request);
        }

        if (HttpMethods.IsHead(method))
        {
            return Run("HeadBucket", buckets.HeadBucketAsync, request);
        }

        throw new S3Exception(S3ErrorCode.MethodNotAllowed);
    }

    private Task RouteObject(S3Request request, string method)
    {
        if (request.Query.ContainsKey("acl"))
        {
            // With ?versionId= the ACL of that version (authorized as s3:Get/PutObjectVersionAcl, see S3Actions).
            return HttpMethods.IsGet(method) ? Run("GetObjectAcl", acls.GetObjectAclAsync, request)
                : HttpMethods.IsPut(method) ? Run("PutObjectAcl", acls.PutObjectAclAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (RouteObjectLock(request, method) is { } lockTask)
        {
            return lockTask;
        }

        if (Unimplemented(request, UnimplementedObjectSubresources) is { } rejected)
        {
            return rejected;
        }

        if (request.Query.ContainsKey("tagging"))
        {
            var operation = HttpMethods.IsGet(method) ? "GetObjectTagging" : HttpMethods.IsPut(method) ? "PutObjectTagging" : "DeleteObjectTagging";
            return Run(operation, tagging.RouteAsync, request);
        }

        if (RouteMultipart(request, method) is { } multipartTask)
        {
            return multipartTask;
        }

        if (HttpMethods.IsGet(method))
        {
            return Run("GetObject", objects.GetObjectAsync, request);
        }

        if (HttpMethods.IsHead(method))
        {
            return Run("HeadObject", objects.HeadObjectAsync, request);
        }

        if (HttpMethods.IsPut(method))
        {
            return request.Header("x-amz-copy-source") is not null ? Run("CopyObject", objects.CopyObjectAsync, request) : Run("PutObject", objects.PutObjectAsync, request);
        }

        if (HttpMethods.IsDelete(method))
        {
            return Run("DeleteObject", objects.DeleteObjectAsync, request);
        }

        throw new S3Exception(S3ErrorCode.MethodNotAllowed);
    }

    /// <summary>The multipart operations on an object (<c>?uploads</c>, <c>?uploadId</c>), or null for plain object operations.</summary>
    private Task? RouteMultipart(S3Request request, string method)
    {
        var query = request.Query;
        if (query.ContainsKey("uploads"))
        {
            return HttpMethods.IsPost(method) ? Run("CreateMultipartUpload", multipart.CreateAsync, request) : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (!query.ContainsKey("uploadId"))
        {
            return null;
        }

        if (HttpMethods.IsPut(method))
        {
            return request.Header("x-amz-copy-source") is not null ? Run("UploadPartCopy", multipart.UploadPartCopyAsync, request) : Run("UploadPart", multipart.UploadPartAsync, request);
        }

        if (HttpMethods.IsPost(method))
        {
            return Run("CompleteMultipartUpload", multipart.CompleteAsync, request);
        }

        if (HttpMethods.IsDelete(method))
        {
            return Run("AbortMultipartUpload", multipart.AbortAsync, request);
        }

        return HttpMethods.IsGet(method) ? Run("ListParts", multipartListing.ListPartsAsync, request) : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
    }

    /// <summary>
    /// The bucket sub-resources that configure access (<c>?acl</c>, <c>?cors</c>, <c>?policy</c>, <c>?policyStatus</c>,
    /// <c>?ownershipControls</c>, <c>?publicAccessBlock</c>), or null when none is named.
    /// </summary>
    private Task? RouteBucketAccessSettings(S3Request request, string method)
    {
        var query = request.Query;
        var get = HttpMethods.IsGet(method);
        var put = HttpMethods.IsPut(method);
        var delete = HttpMethods.IsDelete(method);
        if (query.ContainsKey("acl"))
        {
            return get ? Run("GetBucketAcl", acls.GetBucketAclAsync, request)
                : put ? Run("PutBucketAcl", acls.PutBucketAclAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("cors"))
        {
            return get ? Run("GetBucketCors", cors.GetAsync, request)
                : put ? Run("PutBucketCors", cors.PutAsync, request)
                : delete ? Run("DeleteBucketCors", cors.DeleteAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("policyStatus"))
        {
            return get ? Run("GetBucketPolicyStatus", policies.GetStatusAsync, request) : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("policy"))
        {
            return get ? Run("GetBucketPolicy", policies.GetAsync, request)
                : put ? Run("PutBucketPolicy", policies.PutAsync, request)
                : delete ? Run("DeleteBucketPolicy", policies.DeleteAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("ownershipControls"))
        {
            return get ? Run("GetBucketOwnershipControls", accessSettings.GetOwnershipControlsAsync, request)
                : put ? Run("PutBucketOwnershipControls", accessSettings.PutOwnershipControlsAsync, request)
                : delete ? Run("DeleteBucketOwnershipControls", accessSettings.DeleteOwnershipControlsAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("encryption"))
        {
            return get ? Run("GetBucketEncryption", bucketEncryption.GetAsync, request)
                : put ? Run("PutBucketEncryption", bucketEncryption.PutAsync, request)
                : delete ? Run("DeleteBucketEncryption", bucketEncryption.DeleteAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        if (query.ContainsKey("publicAccessBlock"))
        {
            return get ? Run("GetPublicAccessBlock", accessSettings.GetPublicAccessBlockAsync, request)
                : put ? Run("PutPublicAccessBlock", accessSettings.PutPublicAccessBlockAsync, request)
                : delete ? Run("DeletePublicAccessBlock", accessSettings.DeletePublicAccessBlockAsync, request)
                : throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        return null;
    }

    /// <summary>
    /// The Object Lock operations: <c>?object-lock</c> on a bucket, <c>?retention</c> and <c>?legal-hold</c> on an object
    /// (GET / PUT); null when the request names none of them.
    /// </summary>
    private Task? RouteObjectLock(S3Request request, string method)
    {
        var query = request.Query;
        var name = !request.Target.HasKey ? (query.ContainsKey("object-lock") ? "ObjectLockConfiguration" : null)
            : query.ContainsKey("retention") ? "ObjectRetention"
            : query.ContainsKey("legal-hold") ? "ObjectLegalHold"
            : null;
        if (name is null)
        {
            return null;
        }

        var get = HttpMethods.IsGet(method);
        if (!get && !HttpMethods.IsPut(method))
        {
            throw new S3Exception(S3ErrorCode.MethodNotAllowed);
        }

        Func<S3Request, Task> handler = name switch
        {
            "ObjectLockConfiguration" => get ? objectLock.GetConfigurationAsync : objectLock.PutConfigurationAsync,
            "ObjectRetention" => get ? objectLock.GetRetentionAsync : objectLock.PutRetentionAsync,
            _ => get ? objectLock.GetLegalHoldAsync : objectLock.PutLegalHoldAsync,
        };
        return Run((get ? "Get" : "Put") + name, handler, request);
    }

    /// <summary>
    /// Authorizes an operation (see <see cref="Authorizer"/>) and runs its handler, naming the operation on the request's
    /// trace span (<c>s3.operation</c>).
    /// </summary>
    private async Task Run(string operation, Func<S3Request, Task> handler, S3Request request)
    {
        Activity.Current?.SetTag("s3.operation", operation);
        settingsStore.UseRememberedSettings(request, operation);
        await identities.BindAsync(request);
        await authorizer.AuthorizeAsync(request, operation);
        await handler(request);
    }

    /// <summary>
    /// A task that answers 501 NotImplemented when the request names an unimplemented sub-resource (after checking
    /// the bucket exists, so a missing bucket is NoSuchBucket as on AWS); null when none is named.
    /// </summary>
    private Task? Unimplemented(S3Request request, string[] subresources)
    {
        foreach (var name in subresources)
        {
            if (request.Query.ContainsKey(name))
            {
                return RejectAsync(request, name);
            }
        }

        return null;
    }

    private async Task RejectAsync(S3Request request, string subresource)
    {
        await buckets.EnsureExistsAsync(request);
        throw new S3Exception(S3ErrorCode.NotImplemented, $"The '{subresource}' operation is not implemented by ComIO yet.");
    }
}
