namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// Decides whether an ACL grants a caller a permission. Looks only at the grants: FULL_CONTROL implies every
/// permission; AllUsers matches every caller including anonymous ones; AuthenticatedUsers matches any signed caller;
/// LogDelivery matches no request caller (it stands for S3's own log delivery); a canonical user grant matches the caller
/// with that id. Rights the resource owner holds outside the grant list, bucket policies, IAM and Block Public Access
/// (IgnorePublicAcls) are the authorizer's business, not this type's. Pure and thread-safe.
/// </summary>
public static class AclEvaluator
{
    /// <param name="acl">The bucket's or object's ACL.</param>
    /// <param name="callerCanonicalId">The signed caller's canonical user id (lower-case hex), or null for an anonymous request.</param>
    /// <param name="needed">The permission the operation needs (see <see cref="AclPermissionFor"/>).</param>
    public static bool Allows(AccessControlList acl, string? callerCanonicalId, AclPermission needed)
    {
        ArgumentNullException.ThrowIfNull(acl);
        foreach (var grant in acl.Grants)
        {
            if ((grant.Permission == needed || grant.Permission == AclPermission.FullControl) && Matches(grant.Grantee, callerCanonicalId))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(AclGrantee grantee, string? callerCanonicalId) => grantee.Kind switch
    {
        AclGranteeKind.CanonicalUser => callerCanonicalId is not null && string.Equals(grantee.Id, callerCanonicalId, StringComparison.Ordinal),
        _ => grantee.Uri switch
        {
            AclGrantee.AllUsersUri => true,
            AclGrantee.AuthenticatedUsersUri => callerCanonicalId is not null,
            _ => false,
        },
    };
}
