using ComIO.ApiService.Authorization.Acls;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Acls.AclTestData;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary>Grant evaluation, public-ness and the S3-action-to-ACL-permission table.</summary>
public sealed class AclEvaluatorTests
{
    private static readonly AclPermission[] Every = [AclPermission.FullControl, AclPermission.Read, AclPermission.Write, AclPermission.ReadAcp, AclPermission.WriteAcp];

    [Fact]
    public void Allows_FullControlImpliesEveryPermission_ForTheGranteeOnly()
    {
        var acl = CannedAcl.PrivateFor(Alice);

        foreach (var permission in Every)
        {
            Assert.True(AclEvaluator.Allows(acl, Alice.Id, permission));
            Assert.False(AclEvaluator.Allows(acl, Bob.Id, permission));
            Assert.False(AclEvaluator.Allows(acl, null, permission));
        }
    }

    [Fact]
    public void Allows_SinglePermissionGrantsOnlyThatPermission()
    {
        var acl = new AccessControlList(Alice, [Grant(Bob, AclPermission.ReadAcp)]);

        foreach (var permission in Every)
        {
            Assert.Equal(permission == AclPermission.ReadAcp, AclEvaluator.Allows(acl, Bob.Id, permission));
        }
    }

    [Theory]
    [InlineData(AclGrantee.AllUsersUri, true, true)]
    [InlineData(AclGrantee.AuthenticatedUsersUri, true, false)]
    [InlineData(AclGrantee.LogDeliveryUri, false, false)]
    public void Allows_GroupGrantsMatchCallersAsS3Defines(string uri, bool signedAllowed, bool anonymousAllowed)
    {
        var acl = new AccessControlList(Alice, [Grant(AclGrantee.Group(uri), AclPermission.Read)]);

        Assert.Equal(signedAllowed, AclEvaluator.Allows(acl, Carol.Id, AclPermission.Read));
        Assert.Equal(anonymousAllowed, AclEvaluator.Allows(acl, null, AclPermission.Read));
        Assert.False(AclEvaluator.Allows(acl, Carol.Id, AclPermission.Write));
    }

    [Fact]
    public void Allows_IsFalseForEveryone_WhenAclHasNoGrants()
    {
        var acl = new AccessControlList(Alice, []);

        Assert.False(AclEvaluator.Allows(acl, Alice.Id, AclPermission.Read));
    }

    [Theory]
    [InlineData("private", false)]
    [InlineData("public-read", true)]
    [InlineData("public-read-write", true)]
    [InlineData("authenticated-read", true)]
    [InlineData("log-delivery-write", false)]
    [InlineData("bucket-owner-full-control", false)]
    public void IsPublic_IsTrueExactlyForGrantsToAllUsersOrAuthenticatedUsers(string canned, bool expected)
    {
        Assert.Equal(expected, CannedAcl.Expand(canned, Alice, Bob, forBucket: false).IsPublic);
    }

    [Fact]
    public void IsPublic_CountsAnyPermission_IncludingReadAcp()
    {
        Assert.True(new AccessControlList(Alice, [Grant(AclGrantee.AuthenticatedUsers, AclPermission.ReadAcp)]).IsPublic);
    }

    [Theory]
    [InlineData("s3:ListBucket", AclPermission.Read)]
    [InlineData("s3:ListBucketVersions", AclPermission.Read)]
    [InlineData("s3:ListBucketMultipartUploads", AclPermission.Read)]
    [InlineData("s3:PutObject", AclPermission.Write)]
    [InlineData("s3:DeleteObject", AclPermission.Write)]
    [InlineData("S3:PUTOBJECT", AclPermission.Write)]
    [InlineData("s3:GetBucketAcl", AclPermission.ReadAcp)]
    [InlineData("s3:PutBucketAcl", AclPermission.WriteAcp)]
    public void Bucket_MapsActionsAclsCanGrant(string action, AclPermission expected)
    {
        Assert.Equal(expected, AclPermissionFor.Bucket(action));
    }

    [Theory]
    [InlineData("s3:GetObject", AclPermission.Read)]
    [InlineData("s3:GetObjectVersion", AclPermission.Read)]
    [InlineData("s3:GetObjectAcl", AclPermission.ReadAcp)]
    [InlineData("s3:GetObjectVersionAcl", AclPermission.ReadAcp)]
    [InlineData("s3:PutObjectAcl", AclPermission.WriteAcp)]
    [InlineData("s3:PutObjectVersionAcl", AclPermission.WriteAcp)]
    public void Object_MapsActionsAclsCanGrant(string action, AclPermission expected)
    {
        Assert.Equal(expected, AclPermissionFor.Object(action));
    }

    [Theory]
    [InlineData("s3:GetObject")]
    [InlineData("s3:CreateBucket")]
    [InlineData("s3:DeleteBucket")]
    [InlineData("s3:PutBucketPolicy")]
    [InlineData("s3:PutBucketOwnershipControls")]
    [InlineData("s3:AbortMultipartUpload")]
    [InlineData("s3:PutObjectTagging")]
    public void Bucket_ReturnsNull_ForActionsNoBucketAclCanGrant(string action)
    {
        Assert.Null(AclPermissionFor.Bucket(action));
    }

    [Theory]
    [InlineData("s3:PutObject")]
    [InlineData("s3:DeleteObject")]
    [InlineData("s3:ListBucket")]
    [InlineData("s3:GetObjectTagging")]
    [InlineData("")]
    public void Object_ReturnsNull_ForActionsNoObjectAclCanGrant(string action)
    {
        Assert.Null(AclPermissionFor.Object(action));
    }

    [Fact]
    public void Model_RejectsNonCanonicalIdsAndUnknownGroups()
    {
        Assert.Throws<ArgumentException>(() => new AclOwner(Alice.Id.ToUpperInvariant(), "a"));
        Assert.Throws<ArgumentException>(() => AclGrantee.CanonicalUser("1234"));
        Assert.Throws<ArgumentException>(() => AclGrantee.Group("http://acs.amazonaws.com/groups/global/Everyone"));
    }

    [Fact]
    public void PermissionNames_RoundTripTheWireNames()
    {
        Assert.Equal(["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"], Every.Select(p => p.ToWireName()));
        foreach (var permission in Every)
        {
            Assert.True(AclPermissionNames.TryParse(permission.ToWireName(), out var parsed));
            Assert.Equal(permission, parsed);
        }

        Assert.False(AclPermissionNames.TryParse("Read", out _));
    }
}
