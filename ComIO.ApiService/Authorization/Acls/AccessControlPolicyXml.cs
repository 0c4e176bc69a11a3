using System.Xml;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// The <c>AccessControlPolicy</c> document: written for GetBucketAcl/GetObjectAcl, read from PutBucketAcl/PutObjectAcl
/// bodies.
/// <para>
/// Parsing is strict and bounded (at most <see cref="MaxBodyBytes"/>, DTDs prohibited; element names are matched by
/// local name, so a body without the S3 namespace is accepted). The body must hold <c>Owner/ID</c> and an
/// <c>AccessControlList</c> (which may be empty) of <c>Grant</c>s, each with one <c>Grantee</c> whose <c>xsi:type</c>
/// is <c>CanonicalUser</c> (<c>ID</c>, optional <c>DisplayName</c>), <c>Group</c> (<c>URI</c>) or
/// <c>AmazonCustomerByEmail</c> (<c>EmailAddress</c>), and one <c>Permission</c>. Errors: anything else, more than
/// <see cref="AccessControlList.MaxGrants"/> grants, or a body that is empty or too large: MalformedACLError; an
/// <c>Owner/ID</c> other than the resource owner's: AccessDenied; a malformed canonical id: InvalidArgument "Invalid id"
/// (ArgumentName <c>CanonicalUser/ID</c>); an unknown group URI: InvalidArgument "Invalid group uri" (ArgumentName
/// <c>Group/URI</c>); an unknown e-mail address: UnresolvableGrantByEmailAddress. Nothing but <see cref="S3Exception"/>
/// escapes <see cref="Parse"/>.
/// </para>
/// <para>
/// Display names in the body are not trusted: a canonical user grantee is named only when it is the resource or bucket
/// owner (or was found by e-mail), and the parsed ACL's owner is the <c>resourceOwner</c> passed in.
/// </para>
/// </summary>
public static class AccessControlPolicyXml
{
    public const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>Largest PutBucketAcl/PutObjectAcl body accepted.</summary>
    public const int MaxBodyBytes = XmlBodyReader.MaxBodyBytes;

    private static readonly S3ErrorCode Malformed = S3ErrorCodes.MalformedACLError;

    /// <summary>The UTF-8 document S3 returns for GetBucketAcl/GetObjectAcl.</summary>
    public static byte[] Write(AccessControlList acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        return S3Xml.Document("AccessControlPolicy", xml =>
        {
            xml.WriteStartElement("Owner");
            xml.Element("ID", acl.Owner.Id);
            xml.Element("DisplayName", acl.Owner.DisplayName);
            xml.WriteEndElement();
            xml.WriteStartElement("AccessControlList");
            foreach (var grant in acl.Grants)
            {
                xml.WriteStartElement("Grant");
                xml.WriteStartElement("Grantee");
                xml.WriteAttributeString("xmlns", "xsi", null, XsiNamespace);
                if (grant.Grantee.Kind == AclGranteeKind.CanonicalUser)
                {
                    xml.WriteAttributeString("xsi", "type", XsiNamespace, "CanonicalUser");
                    xml.Element("ID", grant.Grantee.Id);
                    if (grant.Grantee.DisplayName is not null)
                    {
                        xml.Element("DisplayName", grant.Grantee.DisplayName);
                    }
                }
                else
                {
                    xml.WriteAttributeString("xsi", "type", XsiNamespace, "Group");
                    xml.Element("URI", grant.Grantee.Uri);
                }

                xml.WriteEndElement();
                xml.Element("Permission", grant.Permission.ToWireName());
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        });
    }

    /// <summary>Parses a PutBucketAcl/PutObjectAcl body for a resource owned by <paramref name="resourceOwner"/>.</summary>
    /// <param name="body">The whole request body.</param>
    /// <param name="resourceOwner">The bucket's or object's owner; the body's <c>Owner/ID</c> must equal its id.</param>
    /// <param name="bucketOwner">For objects, the bucket's owner (only used to name grantees); may be null.</param>
    /// <param name="resolveEmail">Maps an e-mail address to its account's owner, or null when no account has it.</param>
    /// <exception cref="S3Exception">The body is not a valid policy for this resource (see the type's remarks).</exception>
    public static AccessControlList Parse(byte[] body, AclOwner resourceOwner, AclOwner? bucketOwner, Func<string, AclOwner?> resolveEmail)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(resourceOwner);
        ArgumentNullException.ThrowIfNull(resolveEmail);

        string? ownerId = null;
        List<AclGrant>? grants = null;
        try
        {
            using var reader = XmlBodyReader.OpenRoot(body, "AccessControlPolicy", Malformed);
            foreach (var _ in XmlBodyReader.Children(reader, Malformed))
            {
                switch (reader.LocalName)
                {
                    case "Owner" when ownerId is null:
                        ownerId = ParseOwner(reader);
                        break;
                    case "AccessControlList" when grants is null:
                        grants = [];
                        foreach (var __ in XmlBodyReader.Children(reader, Malformed))
                        {
                            if (reader.LocalName != "Grant" || grants.Count == AccessControlList.MaxGrants)
                            {
                                throw new S3Exception(Malformed);
                            }

                            grants.Add(ParseGrant(reader, resourceOwner, bucketOwner, resolveEmail));
                        }

                        break;
                    default:
                        throw new S3Exception(Malformed);
                }
            }

            XmlBodyReader.ExpectEnd(reader, Malformed);
        }
        catch (XmlException)
        {
            throw new S3Exception(Malformed);
        }

        if (ownerId is null || grants is null)
        {
            throw new S3Exception(Malformed);
        }

        if (!string.Equals(ownerId.Trim(), resourceOwner.Id, StringComparison.OrdinalIgnoreCase))
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        return new AccessControlList(resourceOwner, grants);
    }

    private static string ParseOwner(XmlReader reader)
    {
        string? id = null;
        var sawName = false;
        foreach (var _ in XmlBodyReader.Children(reader, Malformed))
        {
            switch (reader.LocalName)
            {
                case "ID" when id is null:
                    id = XmlBodyReader.Text(reader);
                    break;
                case "DisplayName" when !sawName:
                    sawName = true;
                    XmlBodyReader.Text(reader);
                    break;
                default:
                    throw new S3Exception(Malformed);
            }
        }

        return id ?? throw new S3Exception(Malformed);
    }

    private static AclGrant ParseGrant(XmlReader reader, AclOwner resourceOwner, AclOwner? bucketOwner, Func<string, AclOwner?> resolveEmail)
    {
        AclGrantee? grantee = null;
        AclPermission? permission = null;
        foreach (var _ in XmlBodyReader.Children(reader, Malformed))
        {
            switch (reader.LocalName)
            {
                case "Grantee" when grantee is null:
                    grantee = ParseGrantee(reader, resourceOwner, bucketOwner, resolveEmail);
                    break;
                case "Permission" when permission is null:
                    permission = AclPermissionNames.TryParse(XmlBodyReader.Text(reader).Trim(), out var parsed)
                        ? parsed
                        : throw new S3Exception(Malformed);
                    break;
                default:
                    throw new S3Exception(Malformed);
            }
        }

        return grantee is null || permission is null ? throw new S3Exception(Malformed) : new AclGrant(grantee, permission.Value);
    }

    private static AclGrantee ParseGrantee(XmlReader reader, AclOwner resourceOwner, AclOwner? bucketOwner, Func<string, AclOwner?> resolveEmail)
    {
        var type = reader.GetAttribute("type", XsiNamespace);
        var expected = type switch
        {
            "CanonicalUser" => "ID",
            "Group" => "URI",
            "AmazonCustomerByEmail" => "EmailAddress",
            _ => throw new S3Exception(Malformed),
        };

        string? value = null;
        var sawName = false;
        foreach (var _ in XmlBodyReader.Children(reader, Malformed))
        {
            if (reader.LocalName == expected && value is null)
            {
                value = XmlBodyReader.Text(reader).Trim();
            }
            else if (reader.LocalName == "DisplayName" && type == "CanonicalUser" && !sawName)
            {
                sawName = true;
                XmlBodyReader.Text(reader);
            }
            else
            {
                throw new S3Exception(Malformed);
            }
        }

        if (value is null)
        {
            throw new S3Exception(Malformed);
        }

        switch (type)
        {
            case "CanonicalUser":
                var id = value.ToLowerInvariant();
                return AclGrantee.IsCanonicalId(id)
                    ? AclGrantee.CanonicalUserFromRequest(id, resourceOwner, bucketOwner)
                    : throw InvalidArgument("Invalid id", "CanonicalUser/ID", value);
            case "Group":
                return AclGrantee.IsGroupUri(value) ? AclGrantee.Group(value) : throw InvalidArgument("Invalid group uri", "Group/URI", value);
            default:
                var account = resolveEmail(value) ?? throw new S3Exception(S3ErrorCodes.UnresolvableGrantByEmailAddress);
                return AclGrantee.CanonicalUser(account);
        }
    }

    private static S3Exception InvalidArgument(string message, string argumentName, string argumentValue) => new(S3ErrorCode.InvalidArgument, message)
    {
        ExtraElements = [new("ArgumentName", argumentName), new("ArgumentValue", argumentValue)],
    };
}
