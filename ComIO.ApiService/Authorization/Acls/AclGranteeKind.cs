namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// The grantee kinds a stored ACL holds. S3's third kind, <c>AmazonCustomerByEmail</c>, never reaches the model: parsers
/// resolve an e-mail address to its canonical user when the ACL is set, as S3 does.
/// </summary>
public enum AclGranteeKind
{
    CanonicalUser,
    Group,
}
