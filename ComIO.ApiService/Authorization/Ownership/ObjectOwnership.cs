namespace ComIO.ApiService.Authorization.Ownership;

/// <summary>
/// A bucket's S3 Object Ownership setting (member names are the wire values).
/// <see cref="BucketOwnerEnforced"/>: ACLs are disabled, the bucket owner owns every object, and writes that set an ACL
/// other than bucket-owner-full-control (or its equivalent) fail with AccessControlListNotSupported (AWS's default for
/// new buckets). <see cref="BucketOwnerPreferred"/>: ACLs apply; objects written with bucket-owner-full-control become
/// the bucket owner's. <see cref="ObjectWriter"/>: ACLs apply; the writing account owns the object.
/// </summary>
public enum ObjectOwnership
{
    BucketOwnerEnforced,
    BucketOwnerPreferred,
    ObjectWriter,
}
