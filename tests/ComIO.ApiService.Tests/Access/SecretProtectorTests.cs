using System.Security.Cryptography;
using ComIO.ApiService.Identity;
using Xunit;

namespace ComIO.ApiService.Tests.Access;

public sealed class SecretProtectorTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Protect_RoundTrips_AndNeverContainsThePlainSecret()
    {
        var protector = new SecretProtector(Key);
        const string secret = "NRVp0Iu+yra1EVUL8y9qdCL+K04aQiP1qtR3Mqen";

        var stored = protector.Protect("CKAAAAAAAAAAAAAAAAAA", secret);

        Assert.StartsWith("v1:", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        Assert.Equal(secret, protector.Unprotect("CKAAAAAAAAAAAAAAAAAA", stored));
        Assert.NotEqual(stored, protector.Protect("CKAAAAAAAAAAAAAAAAAA", secret)); // fresh nonce each time
    }

    [Fact]
    public void Unprotect_ReturnsNull_ForAnotherKeyId_AnotherEncryptionKey_OrTamperedData()
    {
        var protector = new SecretProtector(Key);
        var stored = protector.Protect("CKAAAAAAAAAAAAAAAAAA", "secret");
        var bytes = Convert.FromBase64String(stored[3..]);
        bytes[^1] ^= 1;

        Assert.Null(protector.Unprotect("CKBBBBBBBBBBBBBBBBBB", stored));
        Assert.Null(new SecretProtector(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Unprotect("CKAAAAAAAAAAAAAAAAAA", stored));
        Assert.Null(protector.Unprotect("CKAAAAAAAAAAAAAAAAAA", "v1:" + Convert.ToBase64String(bytes)));
        Assert.Null(protector.Unprotect("CKAAAAAAAAAAAAAAAAAA", "v1:not base64!"));
        Assert.Null(protector.Unprotect("CKAAAAAAAAAAAAAAAAAA", "plain"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64")]
    public void Constructor_RefusesAKeyThatIsNot32Bytes(string key)
    {
        Assert.Throws<Microsoft.Extensions.Hosting.InvalidConfigurationException>(() => new SecretProtector(key));
    }
}
