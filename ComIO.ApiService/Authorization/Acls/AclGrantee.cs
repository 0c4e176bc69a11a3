namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// Who a grant is for: a canonical user (<see cref="Id"/>, optional <see cref="DisplayName"/>) or one of S3's three
/// predefined groups (<see cref="Uri"/>). Instances are built only through <see cref="CanonicalUser"/> and
/// <see cref="Group"/>, which enforce that ids are canonical and group URIs are known, so every grantee in a model is
/// valid. Immutable; compared by value (including the display name).
/// </summary>
public sealed record AclGrantee
{
    /// <summary>Everyone, including anonymous (unsigned) requests.</summary>
    public const string AllUsersUri = "http://acs.amazonaws.com/groups/global/AllUsers";

    /// <summary>Any signed request, from any account.</summary>
    public const string AuthenticatedUsersUri = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

    /// <summary>S3 server access log delivery (meaningful on buckets only).</summary>
    public const string LogDeliveryUri = "http://acs.amazonaws.com/groups/s3/LogDelivery";

    private AclGrantee(AclGranteeKind kind, string? id, string? displayName, string? uri)
    {
        Kind = kind;
        Id = id;
        DisplayName = displayName;
        Uri = uri;
    }

    public static AclGrantee AllUsers { get; } = new(AclGranteeKind.Group, null, null, AllUsersUri);

    public static AclGrantee AuthenticatedUsers { get; } = new(AclGranteeKind.Group, null, null, AuthenticatedUsersUri);

    public static AclGrantee LogDelivery { get; } = new(AclGranteeKind.Group, null, null, LogDeliveryUri);

    public AclGranteeKind Kind { get; }

    /// <summary>The canonical user id; null for groups.</summary>
    public string? Id { get; }

    /// <summary>The canonical user's display name when known; always null for groups.</summary>
    public string? DisplayName { get; }

    /// <summary>The group URI; null for canonical users.</summary>
    public string? Uri { get; }

    /// <summary>A canonical user grantee.</summary>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not 64 lower-case hex digits.</exception>
    public static AclGrantee CanonicalUser(string id, string? displayName = null) => IsCanonicalId(id)
        ? new AclGrantee(AclGranteeKind.CanonicalUser, id, displayName, null)
        : throw new ArgumentException("A canonical user id is 64 lower-case hex digits.", nameof(id));

    /// <summary>The canonical user grantee for an owner, with its display name.</summary>
    public static AclGrantee CanonicalUser(AclOwner owner) => new(AclGranteeKind.CanonicalUser, owner.Id, owner.DisplayName, null);

    /// <summary>
    /// A canonical user grantee for an id from a request, named after <paramref name="owner"/> or
    /// <paramref name="bucketOwner"/> when it is one of them (ComIO knows no other display names).
    /// </summary>
    internal static AclGrantee CanonicalUserFromRequest(string id, AclOwner owner, AclOwner? bucketOwner)
    {
        var name = id == owner.Id ? owner.DisplayName : id == bucketOwner?.Id ? bucketOwner.DisplayName : null;
        return CanonicalUser(id, name);
    }

    /// <summary>A predefined group grantee.</summary>
    /// <exception cref="ArgumentException"><paramref name="uri"/> is not one of the three group URIs (compared exactly).</exception>
    public static AclGrantee Group(string uri) => uri switch
    {
        AllUsersUri => AllUsers,
        AuthenticatedUsersUri => AuthenticatedUsers,
        LogDeliveryUri => LogDelivery,
        _ => throw new ArgumentException("Not an S3 predefined group URI.", nameof(uri)),
    };

    /// <summary>True for the three predefined group URIs, compared exactly (S3 rejects any other spelling).</summary>
    public static bool IsGroupUri(string? uri) => uri is AllUsersUri or AuthenticatedUsersUri or LogDeliveryUri;

    /// <summary>True when <paramref name="id"/> is exactly 64 lower-case hex digits.</summary>
    public static bool IsCanonicalId(string? id)
    {
        if (id is null || id.Length != 64)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
