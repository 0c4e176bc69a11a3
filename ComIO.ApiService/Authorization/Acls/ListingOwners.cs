using ComIO.ApiService.Buckets;

namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// Names the owner of each entry of one listing page (<see cref="Authorizer.ObjectAcl"/>'s owner). The entries of a
/// page mostly carry the same stored ACL (objects written by the same account with the same canned ACL), so each
/// distinct stored ACL is parsed once per page instead of once per entry. Not thread-safe; one per page.
/// </summary>
public sealed class ListingOwners(BucketSettings settings)
{
    private readonly Dictionary<string, AclOwner> _byStoredAcl = new(StringComparer.Ordinal);

    public AclOwner Of(IReadOnlyDictionary<string, string> systemMetadata)
    {
        if (!systemMetadata.TryGetValue(Authorizer.ObjectAclMetadata, out var stored))
        {
            return Authorizer.ObjectAcl(systemMetadata, settings).Owner;
        }

        if (!_byStoredAcl.TryGetValue(stored, out var owner))
        {
            owner = Authorizer.ObjectAcl(systemMetadata, settings).Owner;
            _byStoredAcl[stored] = owner;
        }

        return owner;
    }
}
