using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// S3's canned ACLs (the <c>x-amz-acl</c> header), expanded to grants as the S3 user guide's canned ACL table says. The
/// resource owner always gets FULL_CONTROL and comes first:
/// <list type="table">
/// <item><term>private</term><description>owner FULL_CONTROL only.</description></item>
/// <item><term>public-read</term><description>+ AllUsers READ.</description></item>
/// <item><term>public-read-write</term><description>+ AllUsers READ, AllUsers WRITE.</description></item>
/// <item><term>authenticated-read</term><description>+ AuthenticatedUsers READ.</description></item>
/// <item><term>aws-exec-read</term><description>owner FULL_CONTROL only: AWS also grants READ to Amazon EC2's account
/// (for AMI bundles); ComIO has no such account, so that grant is left out.</description></item>
/// <item><term>bucket-owner-read</term><description>object: + bucket owner READ. On a bucket S3 ignores it (owner only).</description></item>
/// <item><term>bucket-owner-full-control</term><description>object: + bucket owner FULL_CONTROL. On a bucket: owner only.</description></item>
/// <item><term>log-delivery-write</term><description>+ LogDelivery WRITE, LogDelivery READ_ACP (documented for buckets;
/// expanded the same way for objects).</description></item>
/// </list>
/// For bucket-owner-* on an object whose writer is the bucket owner (or when the bucket owner is not given), no second
/// grant is added. Names are case-sensitive, as S3 compares them.
/// </summary>
public static class CannedAcl
{
    public const string HeaderName = "x-amz-acl";

    public const string Private = "private";
    public const string PublicRead = "public-read";
    public const string PublicReadWrite = "public-read-write";
    public const string AuthenticatedRead = "authenticated-read";
    public const string AwsExecRead = "aws-exec-read";
    public const string BucketOwnerRead = "bucket-owner-read";
    public const string BucketOwnerFullControl = "bucket-owner-full-control";
    public const string LogDeliveryWrite = "log-delivery-write";

    /// <summary>Every canned ACL name S3 accepts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [Private, PublicRead, PublicReadWrite, AuthenticatedRead, AwsExecRead, BucketOwnerRead, BucketOwnerFullControl, LogDeliveryWrite];

    /// <summary>True when <paramref name="name"/> is a canned ACL name (exact, case-sensitive).</summary>
    public static bool IsKnown(string? name) => name is not null && Names.Contains(name, StringComparer.Ordinal);

    /// <summary>Expands a canned ACL for a resource owned by <paramref name="owner"/>.</summary>
    /// <param name="name">The <c>x-amz-acl</c> value.</param>
    /// <param name="owner">The owner of the bucket or object the ACL is for.</param>
    /// <param name="bucketOwner">For objects, the owner of the bucket holding it; ignored for buckets.</param>
    /// <param name="forBucket">True when the ACL is for a bucket.</param>
    /// <exception cref="S3Exception">InvalidArgument (empty message, ArgumentName <c>x-amz-acl</c>, ArgumentValue the name), as S3 answers an unknown name.</exception>
    public static AccessControlList Expand(string name, AclOwner owner, AclOwner? bucketOwner, bool forBucket)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var grants = new List<AclGrant> { new(AclGrantee.CanonicalUser(owner), AclPermission.FullControl) };
        var otherBucketOwner = !forBucket && bucketOwner is not null && bucketOwner.Id != owner.Id ? bucketOwner : null;
        switch (name)
        {
            case Private or AwsExecRead:
                break;
            case PublicRead:
                grants.Add(new(AclGrantee.AllUsers, AclPermission.Read));
                break;
            case PublicReadWrite:
                grants.Add(new(AclGrantee.AllUsers, AclPermission.Read));
                grants.Add(new(AclGrantee.AllUsers, AclPermission.Write));
                break;
            case AuthenticatedRead:
                grants.Add(new(AclGrantee.AuthenticatedUsers, AclPermission.Read));
                break;
            case BucketOwnerRead:
                if (otherBucketOwner is not null)
                {
                    grants.Add(new(AclGrantee.CanonicalUser(otherBucketOwner), AclPermission.Read));
                }

                break;
            case BucketOwnerFullControl:
                if (otherBucketOwner is not null)
                {
                    grants.Add(new(AclGrantee.CanonicalUser(otherBucketOwner), AclPermission.FullControl));
                }

                break;
            case LogDeliveryWrite:
                grants.Add(new(AclGrantee.LogDelivery, AclPermission.Write));
                grants.Add(new(AclGrantee.LogDelivery, AclPermission.ReadAcp));
                break;
            default:
                throw InvalidName(name);
        }

        return new AccessControlList(owner, grants);
    }

    /// <summary>The canned <c>private</c> ACL: the owner holds FULL_CONTROL. The default ACL of every new bucket and object.</summary>
    public static AccessControlList PrivateFor(AclOwner owner) => Expand(Private, owner, null, forBucket: true);

    private static S3Exception InvalidName(string? name) => new(S3ErrorCode.InvalidArgument, string.Empty)
    {
        ExtraElements = [new("ArgumentName", HeaderName), new("ArgumentValue", name ?? string.Empty)],
    };
}
