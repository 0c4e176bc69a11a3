using System.Text;
using ComIO.ApiService.Authorization.Acls;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Acls.AclTestData;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary>The versioned JSON storage form.</summary>
public sealed class AclJsonTests
{
    [Fact]
    public void Serialize_WritesTheCompactVersionedForm_ByteForByte()
    {
        var acl = new AccessControlList(Alice, [Grant(Alice, AclPermission.FullControl), Grant(AclGrantee.AllUsers, AclPermission.Read)]);

        var json = Encoding.UTF8.GetString(AclJson.Serialize(acl));

        Assert.Equal(
            $"{{\"v\":1,\"o\":\"{Alice.Id}\",\"on\":\"alice\",\"g\":[{{\"i\":\"{Alice.Id}\",\"n\":\"alice\",\"p\":\"FULL_CONTROL\"}},{{\"u\":\"http://acs.amazonaws.com/groups/global/AllUsers\",\"p\":\"READ\"}}]}}",
            json);
    }

    [Fact]
    public void Deserialize_RoundTripsEveryCannedAclAndUnnamedGrantees()
    {
        foreach (var name in CannedAcl.Names)
        {
            var acl = CannedAcl.Expand(name, Alice, Bob, forBucket: false);
            Assert.Equal(acl, AclJson.Deserialize(AclJson.Serialize(acl)));
        }

        var unnamed = new AccessControlList(Alice, [Grant(AclGrantee.CanonicalUser(IdOf("z")), AclPermission.WriteAcp), Grant(AclGrantee.LogDelivery, AclPermission.Write)]);
        Assert.Equal(unnamed, AclJson.Deserialize(AclJson.Serialize(unnamed)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"v\":2,\"o\":\"x\",\"on\":\"a\",\"g\":[]}")]
    [InlineData("{\"v\":1,\"o\":\"x\",\"on\":\"a\",\"g\":[]}")]
    [InlineData("{\"v\":1,\"o\":\"{0}\",\"on\":\"a\"}")]
    [InlineData("{\"v\":1,\"o\":\"{0}\",\"on\":\"a\",\"g\":[{\"u\":\"http://example.com\",\"p\":\"READ\"}]}")]
    [InlineData("{\"v\":1,\"o\":\"{0}\",\"on\":\"a\",\"g\":[{\"i\":\"{0}\",\"p\":\"ALL\"}]}")]
    [InlineData("{\"v\":1,\"o\":\"{0}\",\"on\":\"a\",\"g\":[{\"i\":\"{0}\",\"u\":\"http://acs.amazonaws.com/groups/global/AllUsers\",\"p\":\"READ\"}]}")]
    [InlineData("{\"v\":1,\"o\":\"{0}\",\"on\":\"a\",\"g\":[null]}")]
    public void Deserialize_ThrowsInvalidData_WhenStoredFormIsNotAValidVersion1Acl(string template)
    {
        var json = template.Replace("{0}", Alice.Id, StringComparison.Ordinal);

        Assert.Throws<InvalidDataException>(() => AclJson.Deserialize(Encoding.UTF8.GetBytes(json)));
    }
}
