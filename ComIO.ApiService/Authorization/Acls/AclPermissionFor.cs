namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// Which ACL permission lets a caller perform an S3 action (named as in IAM, e.g. <c>s3:GetObject</c>), following the S3
/// user guide's "Mapping of ACL permissions and access policy permissions". Null means no ACL grant can allow the action
/// (only the owner, a bucket policy or IAM can). Action names are matched case-insensitively, as IAM does.
/// <list type="table">
/// <listheader><term>Bucket ACL</term><description>Actions</description></listheader>
/// <item><term>READ</term><description>s3:ListBucket (ListObjects, ListObjectsV2, HeadBucket), s3:ListBucketVersions, s3:ListBucketMultipartUploads</description></item>
/// <item><term>WRITE</term><description>s3:PutObject (PutObject, CopyObject's target, CreateMultipartUpload, UploadPart,
/// UploadPartCopy, CompleteMultipartUpload), s3:DeleteObject, s3:DeleteObjectVersion (create, overwrite and delete
/// objects in the bucket)</description></item>
/// <item><term>READ_ACP</term><description>s3:GetBucketAcl</description></item>
/// <item><term>WRITE_ACP</term><description>s3:PutBucketAcl</description></item>
/// </list>
/// <list type="table">
/// <listheader><term>Object ACL</term><description>Actions</description></listheader>
/// <item><term>READ</term><description>s3:GetObject (GetObject, HeadObject, CopyObject's source), s3:GetObjectVersion</description></item>
/// <item><term>READ_ACP</term><description>s3:GetObjectAcl, s3:GetObjectVersionAcl</description></item>
/// <item><term>WRITE_ACP</term><description>s3:PutObjectAcl, s3:PutObjectVersionAcl</description></item>
/// </list>
/// WRITE on an object grants nothing. FULL_CONTROL grants all of the above (see <see cref="AclEvaluator"/>).
/// </summary>
public static class AclPermissionFor
{
    private static readonly Dictionary<string, AclPermission> BucketActions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["s3:ListBucket"] = AclPermission.Read,
        ["s3:ListBucketVersions"] = AclPermission.Read,
        ["s3:ListBucketMultipartUploads"] = AclPermission.Read,
        ["s3:PutObject"] = AclPermission.Write,
        ["s3:DeleteObject"] = AclPermission.Write,
        ["s3:DeleteObjectVersion"] = AclPermission.Write,
        ["s3:GetBucketAcl"] = AclPermission.ReadAcp,
        ["s3:PutBucketAcl"] = AclPermission.WriteAcp,
    };

    private static readonly Dictionary<string, AclPermission> ObjectActions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["s3:GetObject"] = AclPermission.Read,
        ["s3:GetObjectVersion"] = AclPermission.Read,
        ["s3:GetObjectAcl"] = AclPermission.ReadAcp,
        ["s3:GetObjectVersionAcl"] = AclPermission.ReadAcp,
        ["s3:PutObjectAcl"] = AclPermission.WriteAcp,
        ["s3:PutObjectVersionAcl"] = AclPermission.WriteAcp,
    };

    /// <summary>The permission the bucket's ACL must grant for <paramref name="s3Action"/>, or null when a bucket ACL cannot grant it.</summary>
    public static AclPermission? Bucket(string s3Action) =>
        BucketActions.TryGetValue(s3Action, out var permission) ? permission : null;

    /// <summary>The permission the object's ACL must grant for <paramref name="s3Action"/>, or null when an object ACL cannot grant it.</summary>
    public static AclPermission? Object(string s3Action) =>
        ObjectActions.TryGetValue(s3Action, out var permission) ? permission : null;
}
