using System.Globalization;
using ComIO.ApiService.Audit;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Authorization.Policies;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authorization;

/// <summary>
/// The one place that decides whether a caller may perform an S3 action, combining identity policies, the bucket
/// policy, ACLs, Object Ownership and Block Public Access in this order:
/// <list type="number">
/// <item>The admin (root) may do everything.</item>
/// <item>An explicit <c>Deny</c> in any applicable identity policy or the bucket policy refuses.</item>
/// <item>An <c>Allow</c> in an identity policy or the bucket policy allows (a public bucket-policy grant is ignored for
/// anonymous callers when the bucket's RestrictPublicBuckets is on).</item>
/// <item>The bucket owner may do everything in its bucket.</item>
/// <item>Unless Object Ownership is BucketOwnerEnforced, an ACL grant allows: the bucket ACL for bucket actions and for
/// writing or deleting objects, the object ACL for reading an object or its ACL (public grants are ignored under
/// IgnorePublicAcls).</item>
/// <item>Everything else is refused with <c>AccessDenied</c> (audited).</item>
/// </list>
/// ComIO is one trust domain: an identity policy the admin attached grants access to any bucket, as for IAM users of the
/// bucket-owning account.
/// </summary>
public sealed class Authorizer(BucketSettingsStore settingsStore, StorageNodeClient nodes, ClusterNodes cluster, PolicyCache policies, AuditLog audit)
{
    /// <summary>Object system-metadata entry that holds the object's ACL (JSON, see <see cref="AclJson"/>).</summary>
    public const string ObjectAclMetadata = "x-comio-acl";

    /// <summary>Authorizes the request's operation on its own bucket and key; throws AccessDenied when refused.</summary>
    public Task AuthorizeAsync(S3Request request, string operation)
    {
        if (S3Actions.For(operation, request.Query.ContainsKey("versionId")) is not { } action)
        {
            // Fail closed: an operation is either in the action table or explicitly authorized by its handler.
            return S3Actions.IsAuthorizedByHandler(operation)
                ? Task.CompletedTask
                : throw new InvalidOperationException($"Operation '{operation}' has no authorization rule in S3Actions.");
        }

        var key = action.Level == S3ActionLevel.Object ? request.Key : null;
        var bucket = action.Level == S3ActionLevel.Service ? null : request.Bucket;
        return AuthorizeAsync(request, action.Name, bucket, key);
    }

    /// <summary>Authorizes <paramref name="action"/> on a bucket or object (e.g. a copy source); throws AccessDenied when refused.</summary>
    public async Task AuthorizeAsync(S3Request request, string action, string? bucket, string? key)
    {
        if (!await IsAllowedAsync(request, action, bucket, key))
        {
            // A refusal on unconfirmed remembered settings is provisional: the request is decided again with fresh ones,
            // and that decision is the one audited.
            if (!request.DecidesOnUnconfirmedSettings)
            {
                audit.AccessDenied(request.Principal, action, S3Actions.ResourceArn(bucket, key), request.RequestId);
            }

            throw new S3Exception(S3ErrorCode.AccessDenied);
        }
    }

    /// <summary>The decision for <paramref name="action"/> on a bucket (or the service when null) or object.</summary>
    public async Task<bool> IsAllowedAsync(S3Request request, string action, string? bucket, string? key)
    {
        var principal = request.Principal;
        if (principal is { IsRoot: true })
        {
            return true;
        }

        var policyRequest = new PolicyRequest(action, S3Actions.ResourceArn(bucket, key), ToPolicyPrincipal(principal), ConditionValues(request, action));
        if (bucket is null || string.Equals(action, "s3:CreateBucket", StringComparison.OrdinalIgnoreCase))
        {
            // Service-level actions (ListBuckets) and CreateBucket (the bucket has no settings yet; an existing one is
            // BucketAlreadyExists or BucketAlreadyOwnedByYou from the handler): identity policies only; anonymous callers never.
            return principal is not null && Evaluate(principal, policyRequest, bucketPolicy: null, restrictPublic: false) == PolicyDecision.Allow;
        }

        var settings = bucket == request.Bucket ? await settingsStore.GetAsync(request) : await settingsStore.GetAsync(bucket, request.Aborted);
        var bucketPolicy = settings.Policy is { } json ? policies.Get(json, PolicyKind.Bucket, bucket) : null;
        var restrictPublic = principal is null && settings.PublicAccessBlock.RestrictPublicBuckets;
        var decision = Evaluate(principal, policyRequest, bucketPolicy, restrictPublic);
        if (decision != PolicyDecision.NotApplicable)
        {
            return decision == PolicyDecision.Allow;
        }

        if (principal is not null && principal.CanonicalId == settings.Owner.Id)
        {
            return true;
        }

        if (settings.Ownership == ObjectOwnership.BucketOwnerEnforced)
        {
            return false;
        }

        if (AclPermissionFor.Bucket(action) is { } bucketPermission && (key is null || AclPermissionFor.Object(action) is null))
        {
            return AclAllows(settings.Acl, principal, bucketPermission, settings.PublicAccessBlock);
        }

        if (key is not null && AclPermissionFor.Object(action) is { } objectPermission)
        {
            var objectAcl = await ObjectAclAsync(request, settings, bucket, key);
            return objectAcl is not null && AclAllows(objectAcl, principal, objectPermission, settings.PublicAccessBlock);
        }

        return false;
    }

    /// <summary>
    /// The stored ACL of an object (private for the bucket owner when none was stored); null when the object does not
    /// exist, so the caller's request fails as AccessDenied rather than revealing whether the key exists.
    /// </summary>
    public async Task<AccessControlList?> ObjectAclAsync(S3Request request, BucketSettings settings, string bucket, string key)
    {
        // The ACL of the version the request names (?versionId= on the request's own object), else of the current one.
        var versionId = bucket == request.Bucket && key == request.Key && request.Query.TryGetValue("versionId", out var named)
            && Contracts.Nodes.VersionIdSyntax.IsValid(named.ToString()) ? named.ToString() : null;
        var (info, _) = await nodes.GetObjectVersionInfoAsync(cluster.OwnerOf(bucket, key), bucket, key, versionId, request.Aborted);
        if (!info.IsSuccess)
        {
            return null;
        }

        return ObjectAcl(info.Value!.SystemMetadata, settings);
    }

    /// <summary>The ACL stored in an object's system metadata, or private for the bucket owner.</summary>
    public static AccessControlList ObjectAcl(IReadOnlyDictionary<string, string> systemMetadata, BucketSettings settings) =>
        systemMetadata.TryGetValue(ObjectAclMetadata, out var stored)
            ? AclJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(stored))
            : CannedAcl.PrivateFor(settings.Owner);

    private PolicyDecision Evaluate(Principal? principal, PolicyRequest request, PolicyDocument? bucketPolicy, bool restrictPublic)
    {
        var allowed = false;
        if (principal is not null)
        {
            foreach (var json in principal.Policies.Values)
            {
                switch (PolicyEvaluator.Evaluate(policies.Get(json, PolicyKind.Identity, null), request))
                {
                    case PolicyDecision.Deny:
                        return PolicyDecision.Deny;
                    case PolicyDecision.Allow:
                        allowed = true;
                        break;
                }
            }
        }

        if (bucketPolicy is not null)
        {
            switch (PolicyEvaluator.Evaluate(bucketPolicy, request))
            {
                case PolicyDecision.Deny:
                    return PolicyDecision.Deny;
                case PolicyDecision.Allow when !(restrictPublic && bucketPolicy.IsPublic):
                    allowed = true;
                    break;
            }
        }

        return allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable;
    }

    private static bool AclAllows(AccessControlList acl, Principal? principal, AclPermission permission, PublicAccessBlockConfiguration block)
    {
        if (block.IgnorePublicAcls && acl.IsPublic)
        {
            acl = new AccessControlList(acl.Owner, acl.Grants.Where(g => g.Grantee.Kind != AclGranteeKind.Group
                || (g.Grantee.Uri != AclGrantee.AllUsersUri && g.Grantee.Uri != AclGrantee.AuthenticatedUsersUri)));
        }

        return AclEvaluator.Allows(acl, principal?.CanonicalId, permission);
    }

    private static PolicyPrincipal? ToPolicyPrincipal(Principal? principal) =>
        principal is null ? null : new PolicyPrincipal(principal.Arn, principal.CanonicalId, principal.UserName, principal.AccountId);

    /// <summary>The condition keys ComIO supplies (global <c>aws:*</c> keys and the S3 keys of the request).</summary>
    private static Dictionary<string, IReadOnlyList<string>> ConditionValues(S3Request request, string action)
    {
        var http = request.Http;
        var now = DateTimeOffset.UtcNow;
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:SecureTransport"] = [http.Request.IsHttps ? "true" : "false"],
            ["aws:CurrentTime"] = [now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)],
            ["aws:EpochTime"] = [now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)],
            ["aws:PrincipalType"] = [request.Principal is null ? "Anonymous" : request.Principal.IsRoot ? "Account" : "User"],
            ["s3:signatureversion"] = [request.Auth.IsAnonymous ? "" : "AWS4-HMAC-SHA256"],
            ["s3:authType"] = [request.Auth.IsAnonymous ? "" : request.Auth.IsPresigned ? "REST-QUERY-STRING" : "REST-HEADER"],
        };
        if (http.Connection.RemoteIpAddress is { } ip)
        {
            values["aws:SourceIp"] = [(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()];
        }

        if (request.Principal is { } principal)
        {
            values["aws:username"] = [principal.UserName];
            values["aws:userid"] = [principal.CanonicalId];
            values["aws:PrincipalArn"] = [principal.Arn];
            values["aws:PrincipalAccount"] = [principal.AccountId];
        }

        AddHeader(values, http.Request, "User-Agent", "aws:UserAgent");
        AddHeader(values, http.Request, "Referer", "aws:Referer");
        AddHeader(values, http.Request, "x-amz-acl", "s3:x-amz-acl");
        AddHeader(values, http.Request, "x-amz-content-sha256", "s3:x-amz-content-sha256");
        AddHeader(values, http.Request, "x-amz-copy-source", "s3:x-amz-copy-source");
        AddHeader(values, http.Request, "x-amz-metadata-directive", "s3:x-amz-metadata-directive");
        AddHeader(values, http.Request, "x-amz-storage-class", "s3:x-amz-storage-class");
        AddHeader(values, http.Request, "x-amz-server-side-encryption", "s3:x-amz-server-side-encryption");
        if (string.Equals(action, "s3:ListBucket", StringComparison.OrdinalIgnoreCase))
        {
            // As S3: s3:prefix is present (possibly empty) on every ListBucket request.
            values["s3:prefix"] = [request.Query["prefix"].ToString()];
            AddQuery(values, request, "delimiter", "s3:delimiter");
            AddQuery(values, request, "max-keys", "s3:max-keys");
        }

        return values;
    }

    private static void AddHeader(Dictionary<string, IReadOnlyList<string>> values, HttpRequest request, string header, string key)
    {
        var value = request.Headers[header];
        if (value.Count > 0)
        {
            values[key] = [value.ToString()];
        }
    }

    private static void AddQuery(Dictionary<string, IReadOnlyList<string>> values, S3Request request, string name, string key)
    {
        if (request.Query.TryGetValue(name, out var value))
        {
            values[key] = [value.ToString()];
        }
    }
}
