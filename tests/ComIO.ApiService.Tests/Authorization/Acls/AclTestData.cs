using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary>Owners, an e-mail directory and assertion helpers shared by the ACL tests.</summary>
internal static class AclTestData
{
    public static readonly AclOwner Alice = new(IdOf("alice"), "alice");
    public static readonly AclOwner Bob = new(IdOf("bob"), "bob");
    public static readonly AclOwner Carol = new(IdOf("carol"), "carol");

    public static string IdOf(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    public static AclOwner? ResolveEmail(string email) => email switch
    {
        "carol@example.com" => Carol,
        "bob@example.com" => Bob,
        _ => null,
    };

    public static AclGrant Grant(AclOwner owner, AclPermission permission) => new(AclGrantee.CanonicalUser(owner), permission);

    public static AclGrant Grant(AclGrantee grantee, AclPermission permission) => new(grantee, permission);

    public static S3Exception Throws(S3ErrorCode code, Action action)
    {
        var error = Assert.Throws<S3Exception>(action);
        Assert.Equal(code, error.Error);
        return error;
    }

    public static string? Extra(S3Exception error, string name) => error.ExtraElements.FirstOrDefault(e => e.Key == name).Value;
}
