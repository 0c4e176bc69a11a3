using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// Reads the ACL a request sets through headers (CreateBucket, PutObject, CopyObject, CreateMultipartUpload,
/// PutBucketAcl and PutObjectAcl without a body): either a canned ACL in <c>x-amz-acl</c> or explicit grants in
/// <c>x-amz-grant-read</c>, <c>-write</c>, <c>-read-acp</c>, <c>-write-acp</c> and <c>-full-control</c>.
/// <para>
/// A grant header is a comma-separated list of <c>type=value</c> grantees, the type one of <c>id</c>, <c>uri</c> or
/// <c>emailAddress</c> (case-insensitive), the value optionally in double quotes, white space allowed around each
/// part: <c>id="79a5…", uri="http://acs.amazonaws.com/groups/global/AllUsers"</c>. As S3 does with explicit grants, the
/// ACL holds exactly the grants listed (the owner gets no implicit FULL_CONTROL grant); grants come in header order
/// read, write, read-acp, write-acp, full-control and, within a header, in the order written.
/// </para>
/// <para>
/// Errors, as S3 answers them: both kinds of header: InvalidRequest; unknown canned name: see
/// <see cref="CannedAcl.Expand"/>; a grant header that is not a grantee list (or names an unknown type): InvalidArgument
/// "Argument format not recognized" with ArgumentName/ArgumentValue the header; an id that is not a canonical user id
/// (64 hex digits): InvalidArgument "Invalid id"; an unknown group URI: InvalidArgument "Invalid group uri"; an e-mail
/// address the resolver does not know: UnresolvableGrantByEmailAddress; more than <see cref="AccessControlList.MaxGrants"/>
/// grants: MalformedACLError (ComIO's choice; AWS does not document this case).
/// </para>
/// </summary>
public static class AclHeaders
{
    public const string GrantRead = "x-amz-grant-read";
    public const string GrantWrite = "x-amz-grant-write";
    public const string GrantReadAcp = "x-amz-grant-read-acp";
    public const string GrantWriteAcp = "x-amz-grant-write-acp";
    public const string GrantFullControl = "x-amz-grant-full-control";

    private static readonly (string Header, AclPermission Permission)[] GrantHeaders =
    [
        (GrantRead, AclPermission.Read),
        (GrantWrite, AclPermission.Write),
        (GrantReadAcp, AclPermission.ReadAcp),
        (GrantWriteAcp, AclPermission.WriteAcp),
        (GrantFullControl, AclPermission.FullControl),
    ];

    /// <summary>Parses the ACL headers of a request.</summary>
    /// <param name="header">Returns a request header's value (null when absent); names are passed in lower case.</param>
    /// <param name="owner">The owner the new or updated resource has (or will have).</param>
    /// <param name="bucketOwner">For objects, the owner of the bucket (used by bucket-owner-* canned ACLs); may be null for buckets.</param>
    /// <param name="forBucket">True when the ACL is for a bucket.</param>
    /// <param name="resolveEmail">Maps an e-mail address to its account's owner, or null when no account has it.</param>
    /// <returns>The ACL, or null when the request has none of the headers (the caller keeps its default).</returns>
    /// <exception cref="S3Exception">The headers are invalid (see the type's remarks).</exception>
    public static AccessControlList? TryParse(Func<string, string?> header, AclOwner owner, AclOwner? bucketOwner, bool forBucket,
        Func<string, AclOwner?> resolveEmail)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(resolveEmail);

        var canned = header(CannedAcl.HeaderName);
        var anyGrant = false;
        foreach (var (name, _) in GrantHeaders)
        {
            anyGrant |= header(name) is not null;
        }

        if (canned is not null && anyGrant)
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Specifying both Canned ACLs and Header Grants is not allowed");
        }

        if (canned is not null)
        {
            return CannedAcl.Expand(canned, owner, bucketOwner, forBucket);
        }

        if (!anyGrant)
        {
            return null;
        }

        var grants = new List<AclGrant>();
        foreach (var (name, permission) in GrantHeaders)
        {
            var value = header(name);
            if (value is not null)
            {
                ParseGrantees(name, value, permission, owner, bucketOwner, resolveEmail, grants);
            }
        }

        return new AccessControlList(owner, grants);
    }

    private static void ParseGrantees(string name, string value, AclPermission permission, AclOwner owner, AclOwner? bucketOwner,
        Func<string, AclOwner?> resolveEmail, List<AclGrant> grants)
    {
        var position = 0;
        while (true)
        {
            SkipSpaces(value, ref position);
            var equals = value.IndexOf('=', position);
            if (equals < 0)
            {
                throw FormatNotRecognized(name, value);
            }

            var type = value.AsSpan(position, equals - position).Trim();
            position = equals + 1;
            SkipSpaces(value, ref position);

            string grantee;
            if (position < value.Length && value[position] == '"')
            {
                var close = value.IndexOf('"', position + 1);
                if (close < 0)
                {
                    throw FormatNotRecognized(name, value);
                }

                grantee = value[(position + 1)..close];
                position = close + 1;
            }
            else
            {
                var comma = value.IndexOf(',', position);
                var end = comma < 0 ? value.Length : comma;
                grantee = value[position..end].Trim();
                position = end;
            }

            if (grantee.Length == 0 || grantee.Contains('"', StringComparison.Ordinal))
            {
                throw FormatNotRecognized(name, value);
            }

            grants.Add(new AclGrant(Grantee(type, grantee, name, value, owner, bucketOwner, resolveEmail), permission));
            if (grants.Count > AccessControlList.MaxGrants)
            {
                throw new S3Exception(S3ErrorCodes.MalformedACLError);
            }

            SkipSpaces(value, ref position);
            if (position == value.Length)
            {
                return;
            }

            if (value[position] != ',')
            {
                throw FormatNotRecognized(name, value);
            }

            position++;
        }
    }

    private static AclGrantee Grantee(ReadOnlySpan<char> type, string grantee, string name, string value, AclOwner owner, AclOwner? bucketOwner,
        Func<string, AclOwner?> resolveEmail)
    {
        if (type.Equals("id", StringComparison.OrdinalIgnoreCase))
        {
            var id = grantee.ToLowerInvariant();
            return AclGrantee.IsCanonicalId(id)
                ? AclGrantee.CanonicalUserFromRequest(id, owner, bucketOwner)
                : throw InvalidArgument("Invalid id", "id", grantee);
        }

        if (type.Equals("uri", StringComparison.OrdinalIgnoreCase))
        {
            return AclGrantee.IsGroupUri(grantee) ? AclGrantee.Group(grantee) : throw InvalidArgument("Invalid group uri", "uri", grantee);
        }

        if (type.Equals("emailAddress", StringComparison.OrdinalIgnoreCase))
        {
            var account = resolveEmail(grantee) ?? throw new S3Exception(S3ErrorCodes.UnresolvableGrantByEmailAddress);
            return AclGrantee.CanonicalUser(account);
        }

        throw FormatNotRecognized(name, value);
    }

    private static void SkipSpaces(string value, ref int position)
    {
        while (position < value.Length && value[position] is ' ' or '\t')
        {
            position++;
        }
    }

    private static S3Exception FormatNotRecognized(string name, string value) => InvalidArgument("Argument format not recognized", name, value);

    private static S3Exception InvalidArgument(string message, string argumentName, string argumentValue) => new(S3ErrorCode.InvalidArgument, message)
    {
        ExtraElements = [new("ArgumentName", argumentName), new("ArgumentValue", argumentValue)],
    };
}
