using System.Text;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authorization;

/// <summary>
/// Decides the ACL (and so the owner) of a bucket or object being created or having its ACL replaced, from the request's
/// <c>x-amz-acl</c> / <c>x-amz-grant-*</c> headers or ACL body, the bucket's Object Ownership and Block Public Access:
/// under BucketOwnerEnforced ACLs other than <c>bucket-owner-full-control</c> fail with AccessControlListNotSupported;
/// under BlockPublicAcls a public ACL fails with AccessDenied. E-mail grantees name ComIO users by user name.
/// </summary>
public sealed class AclAssignment(IdentityStore identities, CredentialResolver credentials)
{
    /// <summary>
    /// The ACL JSON to store in the new object's system metadata (<see cref="Authorizer.ObjectAclMetadata"/>), or null
    /// when the bucket owner owns it with the default private ACL (BucketOwnerEnforced).
    /// </summary>
    public async Task<string?> ForNewObjectAsync(S3Request request, BucketSettings settings, Func<string, string?>? header = null)
    {
        header ??= request.Header;
        var canned = header(CannedAcl.HeaderName);
        if (settings.Ownership == ObjectOwnership.BucketOwnerEnforced)
        {
            if (HasGrantHeaders(header) || (canned is not null && canned != CannedAcl.BucketOwnerFullControl))
            {
                throw new S3Exception(S3ErrorCodes.AccessControlListNotSupported);
            }

            return null;
        }

        var writer = OwnerOf(request.Principal) ?? settings.Owner;
        var owner = settings.Ownership == ObjectOwnership.BucketOwnerPreferred && canned == CannedAcl.BucketOwnerFullControl ? settings.Owner : writer;
        var resolve = await EmailResolverAsync(header, request.Aborted);
        var acl = AclHeaders.TryParse(header, owner, settings.Owner, forBucket: false, resolve) ?? CannedAcl.PrivateFor(owner);
        RejectPublicIfBlocked(acl, settings);
        return Serialize(acl);
    }

    /// <summary>
    /// <paramref name="metadata"/> for a new object with its ACL entry set (replacing any copied from a copy source, as
    /// S3 never copies ACLs) — see <see cref="ForNewObjectAsync"/>.
    /// </summary>
    public async Task<ComIO.Contracts.Nodes.PutObjectMetadata> WithNewObjectAclAsync(S3Request request, BucketSettings settings, ComIO.Contracts.Nodes.PutObjectMetadata metadata)
    {
        var acl = await ForNewObjectAsync(request, settings);
        var system = new Dictionary<string, string>(metadata.SystemMetadata, StringComparer.OrdinalIgnoreCase);
        system.Remove(Authorizer.ObjectAclMetadata);
        if (acl is not null)
        {
            system[Authorizer.ObjectAclMetadata] = acl;
        }

        return metadata with { SystemMetadata = system };
    }

    /// <summary>The ACL of a bucket being created by <paramref name="owner"/> (private unless the headers say otherwise).</summary>
    public async Task<AccessControlList> ForNewBucketAsync(S3Request request, AclOwner owner, ObjectOwnership ownership)
    {
        if (ownership == ObjectOwnership.BucketOwnerEnforced)
        {
            var canned = request.Header(CannedAcl.HeaderName);
            if (HasGrantHeaders(request.Header) || (canned is not null && canned is not (CannedAcl.Private or CannedAcl.BucketOwnerFullControl)))
            {
                throw new S3Exception(S3ErrorCodes.InvalidBucketAclWithObjectOwnership);
            }

            return CannedAcl.PrivateFor(owner);
        }

        var resolve = await EmailResolverAsync(request.Header, request.Aborted);
        return AclHeaders.TryParse(request.Header, owner, null, forBucket: true, resolve) ?? CannedAcl.PrivateFor(owner);
    }

    /// <summary>
    /// The ACL a PutBucketAcl / PutObjectAcl request sets: from its headers or its <c>AccessControlPolicy</c> body (not
    /// both), for a resource owned by <paramref name="owner"/>.
    /// </summary>
    public async Task<AccessControlList> ForReplacementAsync(S3Request request, byte[] body, AclOwner owner, BucketSettings settings, bool forBucket)
    {
        if (settings.Ownership == ObjectOwnership.BucketOwnerEnforced)
        {
            var canned = request.Header(CannedAcl.HeaderName);
            if (body.Length > 0 || HasGrantHeaders(request.Header) || canned != CannedAcl.BucketOwnerFullControl)
            {
                throw new S3Exception(S3ErrorCodes.AccessControlListNotSupported);
            }
        }

        var resolve = body.Length > 0 || HasGrantHeaders(request.Header) ? await AllUsersResolverAsync(request.Aborted) : static _ => null;
        AccessControlList acl;
        if (body.Length > 0)
        {
            if (request.Header(CannedAcl.HeaderName) is not null || HasGrantHeaders(request.Header))
            {
                throw new S3Exception(S3ErrorCode.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed");
            }

            acl = AccessControlPolicyXml.Parse(body, owner, forBucket ? null : settings.Owner, resolve);
        }
        else
        {
            acl = AclHeaders.TryParse(request.Header, owner, forBucket ? null : settings.Owner, forBucket, resolve)
                ?? throw new S3Exception(S3ErrorCode.MissingSecurityHeader, "Your request was missing a required header: x-amz-acl");
        }

        RejectPublicIfBlocked(acl, settings);
        return acl;
    }

    public static string Serialize(AccessControlList acl) => Encoding.UTF8.GetString(AclJson.Serialize(acl));

    /// <summary>The owner identity of a principal (null for anonymous callers).</summary>
    public static AclOwner? OwnerOf(Principal? principal) => principal is null ? null : new AclOwner(principal.CanonicalId, principal.DisplayName);

    private static void RejectPublicIfBlocked(AccessControlList acl, BucketSettings settings)
    {
        if (settings.PublicAccessBlock.BlockPublicAcls && acl.IsPublic)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }
    }

    private static bool HasGrantHeaders(Func<string, string?> header) =>
        header(AclHeaders.GrantRead) is not null || header(AclHeaders.GrantWrite) is not null || header(AclHeaders.GrantReadAcp) is not null
        || header(AclHeaders.GrantWriteAcp) is not null || header(AclHeaders.GrantFullControl) is not null;

    private async Task<Func<string, AclOwner?>> EmailResolverAsync(Func<string, string?> header, CancellationToken ct)
    {
        foreach (var name in new[] { AclHeaders.GrantRead, AclHeaders.GrantWrite, AclHeaders.GrantReadAcp, AclHeaders.GrantWriteAcp, AclHeaders.GrantFullControl })
        {
            if (header(name)?.Contains("emailAddress", StringComparison.OrdinalIgnoreCase) == true)
            {
                return await AllUsersResolverAsync(ct);
            }
        }

        return static _ => null;
    }

    /// <summary>Resolves an e-mail grantee to the ComIO user of that name (case-insensitive); the admin by its display name.</summary>
    private async Task<Func<string, AclOwner?>> AllUsersResolverAsync(CancellationToken ct)
    {
        var users = await identities.ListUsersAsync(ct);
        var byName = users.GroupBy(u => u.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var root = credentials.Root;
        return email => byName.TryGetValue(email, out var user)
            ? new AclOwner(user.CanonicalId, user.Name)
            : string.Equals(email, root.UserName, StringComparison.OrdinalIgnoreCase) ? new AclOwner(root.CanonicalId, root.DisplayName) : null;
    }
}
