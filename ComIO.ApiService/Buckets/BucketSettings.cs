using System.Text;
using System.Text.Json;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Authorization.Ownership;

namespace ComIO.ApiService.Buckets;

/// <summary>
/// One bucket's settings as read from a storage node for the request being served, decoded on first use. Immutable.
/// Defaults follow S3 for a setting that was never written: owner = the admin (buckets created before owners were
/// recorded), ACL = private, Object Ownership = ObjectWriter (see <see cref="DefaultOwnership"/>), no public access block.
/// </summary>
public sealed class BucketSettings
{
    /// <summary>
    /// ComIO's default Object Ownership for new buckets. AWS has defaulted to BucketOwnerEnforced (ACLs off) since April
    /// 2023; ComIO keeps ACLs on by default because self-hosted clients still send them (<c>aws s3 cp --acl public-read</c>).
    /// </summary>
    public const ObjectOwnership DefaultOwnership = ObjectOwnership.ObjectWriter;

    private readonly IReadOnlyDictionary<string, string> _values;
    private AccessControlList? _acl;

    public BucketSettings(string bucket, IReadOnlyDictionary<string, string> values, AclOwner defaultOwner)
    {
        Bucket = bucket;
        _values = values;
        Owner = values.TryGetValue(BucketSettingNames.Owner, out var owner) && JsonSerializer.Deserialize(owner, BucketsJsonContext.Default.BucketOwner) is { } stored
            ? new AclOwner(stored.Id, stored.DisplayName)
            : defaultOwner;
        Ownership = values.TryGetValue(BucketSettingNames.Ownership, out var ownership) && Enum.TryParse<ObjectOwnership>(ownership, out var parsed)
            ? parsed
            : DefaultOwnership;
        PublicAccessBlock = values.TryGetValue(BucketSettingNames.PublicAccessBlock, out var block)
            ? PublicAccessBlockXml.Parse(Encoding.UTF8.GetBytes(block))
            : PublicAccessBlockConfiguration.None;
    }

    public string Bucket { get; }

    /// <summary>The creating principal.</summary>
    public AclOwner Owner { get; }

    public ObjectOwnership Ownership { get; }

    /// <summary>Whether Object Ownership was ever set explicitly (GetBucketOwnershipControls answers 404 otherwise).</summary>
    public bool HasOwnershipControls => _values.ContainsKey(BucketSettingNames.Ownership);

    public PublicAccessBlockConfiguration PublicAccessBlock { get; }

    public bool HasPublicAccessBlock => _values.ContainsKey(BucketSettingNames.PublicAccessBlock);

    /// <summary>The bucket ACL (private for the owner when none was stored).</summary>
    public AccessControlList Acl => _acl ??= _values.TryGetValue(BucketSettingNames.Acl, out var acl)
        ? AclJson.Deserialize(Encoding.UTF8.GetBytes(acl))
        : CannedAcl.PrivateFor(Owner);

    /// <summary>The bucket policy JSON as the client sent it, or null.</summary>
    public string? Policy => _values.GetValueOrDefault(BucketSettingNames.Policy);

    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>"Enabled", "Suspended", or null when versioning was never enabled.</summary>
    public string? Versioning => _values.GetValueOrDefault(BucketSettingNames.Versioning);
}
