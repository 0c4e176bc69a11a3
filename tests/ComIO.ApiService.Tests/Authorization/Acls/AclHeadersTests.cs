using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Protocol.Errors;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Acls.AclTestData;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary><c>x-amz-acl</c> and <c>x-amz-grant-*</c> request headers.</summary>
public sealed class AclHeadersTests
{
    private static AccessControlList? Parse(params (string Name, string Value)[] headers) =>
        AclHeaders.TryParse(name => headers.FirstOrDefault(h => h.Name == name).Value, Alice, Bob, forBucket: false, ResolveEmail);

    [Fact]
    public void TryParse_ReturnsNull_WhenNoAclHeaderIsPresent()
    {
        Assert.Null(Parse(("x-amz-meta-acl", "public-read")));
    }

    [Fact]
    public void TryParse_ExpandsCannedAcl_WhenOnlyXAmzAclIsPresent()
    {
        var acl = Parse(("x-amz-acl", "bucket-owner-full-control"));

        Assert.Equal(CannedAcl.Expand("bucket-owner-full-control", Alice, Bob, forBucket: false), acl);
    }

    [Fact]
    public void TryParse_ThrowsInvalidRequest_WhenCannedAndGrantHeadersAreBothPresent()
    {
        var error = Throws(S3ErrorCode.InvalidRequest, () => Parse(("x-amz-acl", "private"), ("x-amz-grant-read", $"id=\"{Bob.Id}\"")));

        Assert.Equal("Specifying both Canned ACLs and Header Grants is not allowed", error.Message);
    }

    [Fact]
    public void TryParse_ThrowsInvalidArgument_WhenCannedNameIsUnknown()
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => Parse(("x-amz-acl", "public")));

        Assert.Equal("x-amz-acl", Extra(error, "ArgumentName"));
    }

    [Fact]
    public void TryParse_HoldsExactlyTheListedGrants_WithoutAnImplicitOwnerGrant()
    {
        var acl = Parse(("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AllUsers\""));

        Assert.NotNull(acl);
        Assert.Equal(Alice, acl.Owner);
        Assert.Equal([Grant(AclGrantee.AllUsers, AclPermission.Read)], acl.Grants);
    }

    [Fact]
    public void TryParse_ReadsEveryGrantHeader_InFixedHeaderOrder()
    {
        var acl = Parse(
            ("x-amz-grant-full-control", $"id=\"{Alice.Id}\""),
            ("x-amz-grant-write-acp", $"id=\"{Bob.Id}\""),
            ("x-amz-grant-read-acp", "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\""),
            ("x-amz-grant-write", "uri=\"http://acs.amazonaws.com/groups/s3/LogDelivery\""),
            ("x-amz-grant-read", "uri=\"http://acs.amazonaws.com/groups/global/AuthenticatedUsers\""));

        Assert.NotNull(acl);
        Assert.Equal(
            [
                Grant(AclGrantee.AuthenticatedUsers, AclPermission.Read),
                Grant(AclGrantee.LogDelivery, AclPermission.Write),
                Grant(AclGrantee.LogDelivery, AclPermission.ReadAcp),
                Grant(Bob, AclPermission.WriteAcp),
                Grant(Alice, AclPermission.FullControl),
            ],
            acl.Grants);
    }

    [Fact]
    public void TryParse_AcceptsListsWithSpacesUnquotedValuesAndAnyTypeCase()
    {
        var acl = Parse(("x-amz-grant-read", $"  ID=\"{Alice.Id}\" ,uri = http://acs.amazonaws.com/groups/global/AllUsers,  EmailAddress=\"carol@example.com\"  ,emailaddress=bob@example.com "));

        Assert.NotNull(acl);
        Assert.Equal(
            [Grant(Alice, AclPermission.Read), Grant(AclGrantee.AllUsers, AclPermission.Read), Grant(Carol, AclPermission.Read), Grant(Bob, AclPermission.Read)],
            acl.Grants);
    }

    [Fact]
    public void TryParse_NamesOwnerGrantees_AndLeavesOtherIdsUnnamed()
    {
        var stranger = IdOf("stranger");

        var acl = Parse(("x-amz-grant-read", $"id={Bob.Id.ToUpperInvariant()}, id={stranger}"));

        Assert.NotNull(acl);
        Assert.Equal([Grant(Bob, AclPermission.Read), Grant(AclGrantee.CanonicalUser(stranger), AclPermission.Read)], acl.Grants);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("public")]
    [InlineData("id")]
    [InlineData("id=")]
    [InlineData("id=\"\"")]
    [InlineData("id=\"unterminated")]
    [InlineData("user=\"someone\"")]
    [InlineData("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\",")]
    [InlineData(",uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")]
    [InlineData("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\" uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"")]
    [InlineData("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"x")]
    [InlineData("=\"http://acs.amazonaws.com/groups/global/AllUsers\"")]
    public void TryParse_ThrowsArgumentFormatNotRecognized_WhenGrantListIsMalformed(string value)
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => Parse(("x-amz-grant-write-acp", value)));

        Assert.Equal("Argument format not recognized", error.Message);
        Assert.Equal("x-amz-grant-write-acp", Extra(error, "ArgumentName"));
        Assert.Equal(value, Extra(error, "ArgumentValue"));
    }

    [Theory]
    [InlineData("id=\"0123\"")]
    [InlineData("id=\"zz3f1a6c5e1bd2f4a6c1b7e0f1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e\"")]
    public void TryParse_ThrowsInvalidId_WhenIdIsNotCanonical(string value)
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => Parse(("x-amz-grant-read", value)));

        Assert.Equal("Invalid id", error.Message);
        Assert.Equal("id", Extra(error, "ArgumentName"));
    }

    [Theory]
    [InlineData("uri=\"http://acs.amazonaws.com/groups/global/Authenticated\"")]
    [InlineData("uri=\"https://acs.amazonaws.com/groups/global/AllUsers\"")]
    public void TryParse_ThrowsInvalidGroupUri_WhenUriIsNotAPredefinedGroup(string value)
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => Parse(("x-amz-grant-read", value)));

        Assert.Equal("Invalid group uri", error.Message);
        Assert.Equal("uri", Extra(error, "ArgumentName"));
    }

    [Fact]
    public void TryParse_ThrowsUnresolvableGrantByEmailAddress_WhenNoAccountHasTheAddress()
    {
        Throws(S3ErrorCodes.UnresolvableGrantByEmailAddress, () => Parse(("x-amz-grant-read", "emailAddress=\"nobody@example.com\"")));
    }

    [Fact]
    public void TryParse_ThrowsMalformedAcl_WhenHeadersListMoreThan100Grants()
    {
        var value = string.Join(", ", Enumerable.Repeat("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"", 101));

        Assert.Equal(100, Parse(("x-amz-grant-read", string.Join(", ", Enumerable.Repeat("uri=\"http://acs.amazonaws.com/groups/global/AllUsers\"", 100))))!.Grants.Count);
        Throws(S3ErrorCodes.MalformedACLError, () => Parse(("x-amz-grant-read", value)));
    }
}
