namespace ComIO.ApiService.Buckets;

/// <summary>Names of the settings kept with each bucket on the storage nodes (UTF-8 text documents).</summary>
public static class BucketSettingNames
{
    /// <summary>JSON <see cref="BucketOwner"/>: the creating principal.</summary>
    public const string Owner = "owner";

    /// <summary>The bucket policy JSON exactly as the client sent it.</summary>
    public const string Policy = "policy";

    /// <summary>The bucket ACL (JSON, see <c>AclJson</c>).</summary>
    public const string Acl = "acl";

    /// <summary>The Object Ownership setting: BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter.</summary>
    public const string Ownership = "ownership";

    /// <summary>The PublicAccessBlockConfiguration XML as stored by PutPublicAccessBlock.</summary>
    public const string PublicAccessBlock = "public-access-block";

    /// <summary>The CORSConfiguration XML.</summary>
    public const string Cors = "cors";

    /// <summary>The ObjectLockConfiguration XML (present = the bucket was created with Object Lock; see <c>ObjectLockConfiguration</c>).</summary>
    public const string ObjectLock = "object-lock";

    /// <summary>The versioning state ("Enabled" / "Suspended"; absent = never enabled). The storage engine interprets it.</summary>
    public const string Versioning = "versioning";

    /// <summary>The LifecycleConfiguration XML in canonical form (see <c>LifecycleXml</c>); applied by each storage node's lifecycle scanner.</summary>
    public const string Lifecycle = "lifecycle";

    /// <summary>The ReplicationConfiguration XML in canonical form (see <c>ReplicationConfigurationXml</c>).</summary>
    public const string Replication = "replication";

    /// <summary>The bucket's default encryption (ServerSideEncryptionConfiguration XML, see <c>BucketEncryptionConfiguration</c>).</summary>
    public const string Encryption = "encryption";
}
