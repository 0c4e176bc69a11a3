namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// The owner of a bucket or object: a canonical user id (exactly 64 lower-case hex digits, checked by the constructor)
/// and a display name. Immutable; compared by value.
/// </summary>
public sealed record AclOwner
{
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a canonical user id (a bug in the caller, not a client error).</exception>
    public AclOwner(string id, string displayName)
    {
        if (!AclGrantee.IsCanonicalId(id))
        {
            throw new ArgumentException("A canonical user id is 64 lower-case hex digits.", nameof(id));
        }

        ArgumentNullException.ThrowIfNull(displayName);
        Id = id;
        DisplayName = displayName;
    }

    public string Id { get; }

    public string DisplayName { get; }
}
