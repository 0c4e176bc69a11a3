namespace ComIO.ApiService.Authorization.Acls;

/// <summary>One entry of an ACL: <paramref name="Grantee"/> holds <paramref name="Permission"/>. Immutable; compared by value.</summary>
public sealed record AclGrant(AclGrantee Grantee, AclPermission Permission);
