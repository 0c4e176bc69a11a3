namespace ComIO.ApiService.Authorization.Acls;

/// <summary>Converts <see cref="AclPermission"/> to and from the exact (case-sensitive) names S3 uses in XML and headers.</summary>
public static class AclPermissionNames
{
    /// <summary>The wire name, e.g. <c>READ_ACP</c>.</summary>
    public static string ToWireName(this AclPermission permission) => permission switch
    {
        AclPermission.FullControl => "FULL_CONTROL",
        AclPermission.Read => "READ",
        AclPermission.Write => "WRITE",
        AclPermission.ReadAcp => "READ_ACP",
        AclPermission.WriteAcp => "WRITE_ACP",
        _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, null),
    };

    /// <summary>Parses a wire name; case-sensitive, as the S3 schema's enumeration is.</summary>
    public static bool TryParse(string? name, out AclPermission permission)
    {
        switch (name)
        {
            case "FULL_CONTROL":
                permission = AclPermission.FullControl;
                return true;
            case "READ":
                permission = AclPermission.Read;
                return true;
            case "WRITE":
                permission = AclPermission.Write;
                return true;
            case "READ_ACP":
                permission = AclPermission.ReadAcp;
                return true;
            case "WRITE_ACP":
                permission = AclPermission.WriteAcp;
                return true;
            default:
                permission = default;
                return false;
        }
    }
}
