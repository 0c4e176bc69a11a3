using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Protocol.Errors;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Acls.AclTestData;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary>The canned ACL table of the S3 user guide, for buckets and objects.</summary>
public sealed class CannedAclTests
{
    public static TheoryData<string, bool, AclGrant[]> Table => new()
    {
        { "private", true, [Grant(Alice, AclPermission.FullControl)] },
        { "private", false, [Grant(Alice, AclPermission.FullControl)] },
        { "public-read", true, [Grant(Alice, AclPermission.FullControl), Grant(AclGrantee.AllUsers, AclPermission.Read)] },
        { "public-read", false, [Grant(Alice, AclPermission.FullControl), Grant(AclGrantee.AllUsers, AclPermission.Read)] },
        { "public-read-write", true, [Grant(Alice, AclPermission.FullControl), Grant(AclGrantee.AllUsers, AclPermission.Read), Grant(AclGrantee.AllUsers, AclPermission.Write)] },
        { "authenticated-read", false, [Grant(Alice, AclPermission.FullControl), Grant(AclGrantee.AuthenticatedUsers, AclPermission.Read)] },
        { "aws-exec-read", false, [Grant(Alice, AclPermission.FullControl)] },
        { "bucket-owner-read", false, [Grant(Alice, AclPermission.FullControl), Grant(Bob, AclPermission.Read)] },
        { "bucket-owner-read", true, [Grant(Alice, AclPermission.FullControl)] },
        { "bucket-owner-full-control", false, [Grant(Alice, AclPermission.FullControl), Grant(Bob, AclPermission.FullControl)] },
        { "bucket-owner-full-control", true, [Grant(Alice, AclPermission.FullControl)] },
        { "log-delivery-write", true, [Grant(Alice, AclPermission.FullControl), Grant(AclGrantee.LogDelivery, AclPermission.Write), Grant(AclGrantee.LogDelivery, AclPermission.ReadAcp)] },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Expand_GivesTheGrantsOfTheAwsTable(string name, bool forBucket, AclGrant[] expected)
    {
        var acl = CannedAcl.Expand(name, Alice, forBucket ? null : Bob, forBucket);

        Assert.Equal(Alice, acl.Owner);
        Assert.Equal(expected, acl.Grants);
    }

    [Theory]
    [InlineData("bucket-owner-read")]
    [InlineData("bucket-owner-full-control")]
    public void Expand_AddsNoSecondGrant_WhenObjectWriterIsTheBucketOwner(string name)
    {
        var acl = CannedAcl.Expand(name, Alice, Alice, forBucket: false);

        Assert.Equal([Grant(Alice, AclPermission.FullControl)], acl.Grants);
    }

    [Fact]
    public void Expand_IgnoresBucketOwner_ForBuckets()
    {
        var acl = CannedAcl.Expand("bucket-owner-full-control", Alice, Bob, forBucket: true);

        Assert.Equal([Grant(Alice, AclPermission.FullControl)], acl.Grants);
    }

    [Theory]
    [InlineData("public")]
    [InlineData("Private")]
    [InlineData("")]
    [InlineData("private ")]
    public void Expand_ThrowsInvalidArgumentNamingTheHeader_WhenNameIsUnknown(string name)
    {
        var error = Throws(S3ErrorCode.InvalidArgument, () => CannedAcl.Expand(name, Alice, null, forBucket: true));

        Assert.Equal(string.Empty, error.Message);
        Assert.Equal("x-amz-acl", Extra(error, "ArgumentName"));
        Assert.Equal(name, Extra(error, "ArgumentValue"));
    }

    [Fact]
    public void Names_ListsTheEightAwsCannedAcls_AndEachExpands()
    {
        Assert.Equal(8, CannedAcl.Names.Count);
        foreach (var name in CannedAcl.Names)
        {
            Assert.True(CannedAcl.IsKnown(name));
            Assert.Equal(AclPermission.FullControl, CannedAcl.Expand(name, Alice, Bob, forBucket: false).Grants[0].Permission);
        }
    }
}
