using System.Text;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Protocol.Errors;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Acls.AclTestData;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary>The <c>AccessControlPolicy</c> document: exact output, strict parsing, every truncation and random input.</summary>
public sealed class AccessControlPolicyXmlTests
{
    private const string Xsi = "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

    private static AccessControlList Parse(string xml, AclOwner? owner = null) =>
        AccessControlPolicyXml.Parse(Encoding.UTF8.GetBytes(xml), owner ?? Alice, Bob, ResolveEmail);

    private static string Policy(string grants, string? ownerId = null) =>
        $"<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Owner><ID>{ownerId ?? Alice.Id}</ID><DisplayName>ignored</DisplayName></Owner>"
        + $"<AccessControlList>{grants}</AccessControlList></AccessControlPolicy>";

    private static string UserGrant(string id, string permission) =>
        $"<Grant><Grantee {Xsi} xsi:type=\"CanonicalUser\"><ID>{id}</ID></Grantee><Permission>{permission}</Permission></Grant>";

    private static string GroupGrant(string uri, string permission) =>
        $"<Grant><Grantee {Xsi} xsi:type=\"Group\"><URI>{uri}</URI></Grantee><Permission>{permission}</Permission></Grant>";

    private static readonly AccessControlList Mixed = new(Alice,
    [
        Grant(Alice, AclPermission.FullControl),
        Grant(AclGrantee.CanonicalUser(IdOf("stranger")), AclPermission.ReadAcp),
        Grant(AclGrantee.AllUsers, AclPermission.Read),
        Grant(AclGrantee.AuthenticatedUsers, AclPermission.WriteAcp),
        Grant(AclGrantee.LogDelivery, AclPermission.Write),
    ]);

    [Fact]
    public void Write_ProducesTheGetBucketAclDocument_ByteForByte()
    {
        var acl = CannedAcl.Expand("public-read", Alice, null, forBucket: true);

        var xml = Encoding.UTF8.GetString(AccessControlPolicyXml.Write(acl));

        Assert.Equal(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<AccessControlPolicy xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            + $"<Owner><ID>{Alice.Id}</ID><DisplayName>alice</DisplayName></Owner>"
            + "<AccessControlList>"
            + $"<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>{Alice.Id}</ID><DisplayName>alice</DisplayName></Grantee><Permission>FULL_CONTROL</Permission></Grant>"
            + "<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>"
            + "</AccessControlList></AccessControlPolicy>",
            xml);
    }

    [Fact]
    public void Write_OmitsDisplayName_WhenGranteeHasNone()
    {
        var xml = Encoding.UTF8.GetString(AccessControlPolicyXml.Write(new AccessControlList(Alice, [Grant(AclGrantee.CanonicalUser(Bob.Id), AclPermission.Read)])));

        Assert.Contains($"xsi:type=\"CanonicalUser\"><ID>{Bob.Id}</ID></Grantee>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RoundTripsWrite_ForEveryGranteeKindAndPermission()
    {
        var parsed = AccessControlPolicyXml.Parse(AccessControlPolicyXml.Write(Mixed), Alice, Bob, ResolveEmail);

        Assert.Equal(Mixed, parsed);
    }

    [Fact]
    public void Parse_AcceptsNoNamespaceWhitespaceAndEmptyList()
    {
        var acl = Parse($"<?xml version=\"1.0\"?>\n<AccessControlPolicy>\n  <Owner>\n    <ID> {Alice.Id} </ID>\n  </Owner>\n  <AccessControlList/>\n</AccessControlPolicy>\n");

        Assert.Empty(acl.Grants);
        Assert.Equal(Alice, acl.Owner);
    }

    [Fact]
    public void Parse_ResolvesEmailGrantees_AndIgnoresSuppliedDisplayNames()
    {
        var acl = Parse(Policy(
            $"<Grant><Grantee {Xsi} xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>carol@example.com</EmailAddress></Grantee><Permission>READ</Permission></Grant>"
            + $"<Grant><Grantee {Xsi} xsi:type=\"CanonicalUser\"><ID>{IdOf("x")}</ID><DisplayName>spoofed</DisplayName></Grantee><Permission>READ</Permission></Grant>"));

        Assert.Equal([Grant(Carol, AclPermission.Read), Grant(AclGrantee.CanonicalUser(IdOf("x")), AclPermission.Read)], acl.Grants);
    }

    [Fact]
    public void Parse_ThrowsAccessDenied_WhenOwnerIdIsNotTheResourceOwner()
    {
        Throws(S3ErrorCode.AccessDenied, () => Parse(Policy(UserGrant(Bob.Id, "READ"), ownerId: Bob.Id)));
    }

    [Theory]
    [InlineData("<AccessControlPolicy><AccessControlList/></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><DisplayName>a</DisplayName></Owner><AccessControlList/></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy/>")]
    [InlineData("<AccessControlList/>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner><Owner><ID>{0}</ID></Owner><AccessControlList/></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner><AccessControlList/><Extra/></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner><AccessControlList>text</AccessControlList></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner><AccessControlList/></AccessControlPolicy><Second/>")]
    [InlineData("<!DOCTYPE a [<!ENTITY e \"x\">]><AccessControlPolicy><Owner><ID>{0}</ID></Owner><AccessControlList/></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner><AccessControlList><Grant/></AccessControlList></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID>{0}</ID></Owner><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>")]
    [InlineData("<AccessControlPolicy><Owner><ID><b/></ID></Owner><AccessControlList/></AccessControlPolicy>")]
    public void Parse_ThrowsMalformedAcl_WhenDocumentDoesNotMatchTheSchema(string template)
    {
        Throws(S3ErrorCodes.MalformedACLError, () => Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, Alice.Id)));
    }

    [Theory]
    [InlineData("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Robot\"><ID>x</ID></Grantee><Permission>READ</Permission></Grant>")]
    [InlineData("<Grant><Grantee><ID>{0}</ID></Grantee><Permission>READ</Permission></Grant>")]
    [InlineData("<Grant><Grantee type=\"CanonicalUser\"><ID>{0}</ID></Grantee><Permission>READ</Permission></Grant>")]
    [InlineData("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>{0}</ID></Grantee><Permission>read</Permission></Grant>")]
    [InlineData("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>{0}</ID></Grantee><Permission>DELETE</Permission></Grant>")]
    [InlineData("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>")]
    [InlineData("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant>")]
    [InlineData("<Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"CanonicalUser\"><ID>{0}</ID></Grantee><Permission>READ</Permission><Permission>READ</Permission></Grant>")]
    public void Parse_ThrowsMalformedAcl_WhenGrantIsInvalid(string grant)
    {
        Throws(S3ErrorCodes.MalformedACLError, () => Parse(Policy(string.Format(System.Globalization.CultureInfo.InvariantCulture, grant, Bob.Id))));
    }

    [Fact]
    public void Parse_ThrowsInvalidId_WhenCanonicalIdIsMalformed()
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => Parse(Policy(UserGrant("badid", "READ"))));

        Assert.Equal("Invalid id", error.Message);
        Assert.Equal("CanonicalUser/ID", Extra(error, "ArgumentName"));
        Assert.Equal("badid", Extra(error, "ArgumentValue"));
    }

    [Fact]
    public void Parse_ThrowsInvalidGroupUri_WhenGroupIsUnknown()
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => Parse(Policy(GroupGrant("http://acs.amazonaws.com/groups/global/Authenticated", "READ"))));

        Assert.Equal("Invalid group uri", error.Message);
    }

    [Fact]
    public void Parse_ThrowsUnresolvableGrantByEmailAddress_WhenEmailIsUnknown()
    {
        Throws(S3ErrorCodes.UnresolvableGrantByEmailAddress, () => Parse(Policy(
            $"<Grant><Grantee {Xsi} xsi:type=\"AmazonCustomerByEmail\"><EmailAddress>who@example.com</EmailAddress></Grantee><Permission>READ</Permission></Grant>")));
    }

    [Fact]
    public void Parse_Accepts100Grants_AndThrowsMalformedAclFor101()
    {
        var grant = GroupGrant(AclGrantee.AllUsersUri, "READ");

        Assert.Equal(100, Parse(Policy(string.Concat(Enumerable.Repeat(grant, 100)))).Grants.Count);
        Throws(S3ErrorCodes.MalformedACLError, () => Parse(Policy(string.Concat(Enumerable.Repeat(grant, 101)))));
    }

    [Fact]
    public void Parse_ThrowsMalformedAcl_WhenBodyIsEmptyOrLargerThanTheLimit()
    {
        Throws(S3ErrorCodes.MalformedACLError, () => AccessControlPolicyXml.Parse([], Alice, null, ResolveEmail));
        var padded = Policy(UserGrant(Alice.Id, "READ")) + new string(' ', AccessControlPolicyXml.MaxBodyBytes);
        Throws(S3ErrorCodes.MalformedACLError, () => Parse(padded));
    }

    [Fact]
    public void Parse_RejectsEveryTruncationOfAValidDocument_WithMalformedAcl()
    {
        var body = AccessControlPolicyXml.Write(Mixed);
        Assert.Equal(Mixed, AccessControlPolicyXml.Parse(body, Alice, Bob, ResolveEmail));

        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body[..length];
            var error = Assert.Throws<S3Exception>(() => AccessControlPolicyXml.Parse(prefix, Alice, Bob, ResolveEmail));
            Assert.True(error.Error == S3ErrorCodes.MalformedACLError, $"prefix {length}: {error.Error.Code}");
        }
    }

    [Fact]
    public void Parse_ThrowsOnlyS3Exception_ForRandomAndMutatedInput()
    {
        var random = new Random(20261126);
        var valid = AccessControlPolicyXml.Write(Mixed);
        for (var i = 0; i < 3000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 300)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }
            }

            try
            {
                AccessControlPolicyXml.Parse(input, Alice, Bob, ResolveEmail);
            }
            catch (S3Exception)
            {
            }
        }
    }
}
