namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// The five S3 ACL permissions. Their wire names (<c>FULL_CONTROL</c>, <c>READ</c>, <c>WRITE</c>, <c>READ_ACP</c>,
/// <c>WRITE_ACP</c>) are produced and parsed by <see cref="AclPermissionNames"/>. <see cref="FullControl"/> implies the
/// other four.
/// </summary>
public enum AclPermission
{
    FullControl,
    Read,
    Write,
    ReadAcp,
    WriteAcp,
}
