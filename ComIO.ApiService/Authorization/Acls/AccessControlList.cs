namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// The ACL of a bucket or object: its owner and an ordered list of grants (at most <see cref="MaxGrants"/>; grants are
/// kept in the order given and duplicates are kept, as S3 returns them). Immutable: the grant list is copied on
/// construction. Equality compares the owner and the grants element by element.
/// </summary>
public sealed record AccessControlList
{
    /// <summary>S3's limit on the number of grants in one ACL.</summary>
    public const int MaxGrants = 100;

    public AccessControlList(AclOwner owner, IEnumerable<AclGrant> grants)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(grants);
        Owner = owner;
        Grants = [.. grants];
    }

    public AclOwner Owner { get; }

    public IReadOnlyList<AclGrant> Grants { get; }

    /// <summary>
    /// True when any grant (of any permission) is to the AllUsers or AuthenticatedUsers group: what S3 Block Public
    /// Access calls a public ACL.
    /// </summary>
    public bool IsPublic
    {
        get
        {
            foreach (var grant in Grants)
            {
                if (grant.Grantee.Uri is AclGrantee.AllUsersUri or AclGrantee.AuthenticatedUsersUri)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public bool Equals(AccessControlList? other) =>
        other is not null && Owner.Equals(other.Owner) && Grants.SequenceEqual(other.Grants);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Owner);
        foreach (var grant in Grants)
        {
            hash.Add(grant);
        }

        return hash.ToHashCode();
    }
}
