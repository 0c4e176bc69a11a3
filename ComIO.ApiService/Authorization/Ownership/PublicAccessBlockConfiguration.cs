namespace ComIO.ApiService.Authorization.Ownership;

/// <summary>
/// A bucket's S3 Block Public Access settings. <paramref name="BlockPublicAcls"/>: setting a public ACL (see
/// <see cref="Acls.AccessControlList.IsPublic"/>) fails. <paramref name="IgnorePublicAcls"/>: grants to AllUsers and
/// AuthenticatedUsers are ignored when authorizing. <paramref name="BlockPublicPolicy"/>: setting a public bucket policy
/// fails. <paramref name="RestrictPublicBuckets"/>: a public bucket policy only allows AWS principals of the bucket
/// owner's account and service principals. All false (<see cref="None"/>) means nothing is blocked. Immutable.
/// </summary>
public sealed record PublicAccessBlockConfiguration(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets)
{
    /// <summary>No setting enabled.</summary>
    public static PublicAccessBlockConfiguration None { get; } = new(false, false, false, false);

    /// <summary>Every setting enabled.</summary>
    public static PublicAccessBlockConfiguration All { get; } = new(true, true, true, true);
}
