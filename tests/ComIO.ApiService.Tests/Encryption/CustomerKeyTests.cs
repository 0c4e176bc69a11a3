using System.Security.Cryptography;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Encryption;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ComIO.ApiService.Tests.Encryption;

/// <summary>SSE-C header parsing and key recognition, with the errors AWS answers; key wrapping; KMS key names.</summary>
public sealed class CustomerKeyTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    private static S3Request Request(bool https, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = https ? "https" : "http";
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return new S3Request(context, "test", new S3Target("bucket", "key"), AuthenticationResult.Anonymous);
    }

    private static (string, string)[] Headers(byte[] key, string prefix = "x-amz-", string algorithm = "AES256", string? md5 = null) =>
    [
        ($"{prefix}server-side-encryption-customer-algorithm", algorithm),
        ($"{prefix}server-side-encryption-customer-key", Convert.ToBase64String(key)),
        ($"{prefix}server-side-encryption-customer-key-MD5", md5 ?? Convert.ToBase64String(MD5.HashData(key))),
    ];

    [Fact]
    public void FromRequest_RefusesPlainHttp_UnlessAllowed()
    {
        var request = Request(https: false, Headers(Key));
        var refused = Assert.Throws<S3Exception>(() => CustomerKey.FromRequest(request, allowHttp: false));
        Assert.Equal("InvalidRequest", refused.Error.Code);
        Assert.Equal(Key, CustomerKey.FromRequest(request, allowHttp: true)!.Key);
        Assert.Equal(Key, CustomerKey.FromRequest(Request(https: true, Headers(Key)), allowHttp: false)!.Key);
    }

    [Fact]
    public void FromRequest_ReturnsAwsErrors_ForBadHeaders()
    {
        Assert.Null(CustomerKey.FromRequest(Request(true), false));
        Assert.Equal("InvalidEncryptionAlgorithmError", Assert.Throws<S3Exception>(() => CustomerKey.FromRequest(Request(true, Headers(Key, algorithm: "AES128")), false)).Error.Code);
        Assert.Equal("InvalidArgument", Assert.Throws<S3Exception>(() => CustomerKey.FromRequest(Request(true, Headers(Key, md5: Convert.ToBase64String(new byte[16]))), false)).Error.Code);
        Assert.Equal("InvalidArgument", Assert.Throws<S3Exception>(() => CustomerKey.FromRequest(Request(true, Headers(new byte[16])), false)).Error.Code);
        Assert.Equal("InvalidArgument", Assert.Throws<S3Exception>(() => CustomerKey.FromRequest(Request(true, [.. Headers(Key).Take(2)]), false)).Error.Code);
        Assert.Equal("InvalidArgument", Assert.Throws<S3Exception>(() => CustomerKey.FromRequest(Request(true, [("x-amz-server-side-encryption-customer-key", "!!notbase64")]), false)).Error.Code);
    }

    [Fact]
    public void FromRequest_ReadsCopySourceHeaders_WithTheirOwnNames()
    {
        var request = Request(true, [.. Headers(Key, "x-amz-copy-source-")]);
        Assert.Null(CustomerKey.FromRequest(request, false));
        Assert.Equal(Key, CustomerKey.FromRequest(request, false, SseHeaders.CopySourcePrefix)!.Key);
    }

    [Fact]
    public void SaltedHmac_RecognisesOnlyTheSameKey_AndIsSaltedEachTime()
    {
        var key = CustomerKey.FromRequest(Request(true, Headers(Key)), false)!;
        var other = CustomerKey.FromRequest(Request(true, Headers(RandomNumberGenerator.GetBytes(32))), false)!;
        var stored = key.SaltedHmac();
        Assert.True(key.Matches(stored));
        Assert.False(other.Matches(stored));
        Assert.NotEqual(stored, key.SaltedHmac());
        Assert.DoesNotContain(Convert.ToBase64String(Key), stored, StringComparison.Ordinal);
        Assert.False(key.Matches("garbage"));
    }

    [Fact]
    public void KeyWrap_UnwrapsOnlyWithTheSameKeyAndContext()
    {
        var kek = RandomNumberGenerator.GetBytes(32);
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = KeyWrap.Wrap(kek, dataKey, "ctx-a");
        Assert.Equal(dataKey, KeyWrap.Unwrap(kek, wrapped, "ctx-a"));
        Assert.Null(KeyWrap.Unwrap(kek, wrapped, "ctx-b"));
        Assert.Null(KeyWrap.Unwrap(RandomNumberGenerator.GetBytes(32), wrapped, "ctx-a"));
        Assert.Null(KeyWrap.Unwrap(kek, "not-base64", "ctx-a"));
        Assert.NotEqual(wrapped, KeyWrap.Wrap(kek, dataKey, "ctx-a")); // random nonce
    }

    [Theory]
    [InlineData(null, "default")]
    [InlineData("aws/s3", "default")]
    [InlineData("alias/aws/s3", "default")]
    [InlineData("billing", "billing")]
    [InlineData("alias/billing", "billing")]
    [InlineData("arn:aws:kms:us-east-1:000000000000:key/billing", "billing")]
    [InlineData("arn:aws:kms:us-east-1:000000000000:alias/billing", "billing")]
    [InlineData("bad name", null)]
    [InlineData("arn:aws:kms:broken", null)]
    public void KmsKeyStore_NameOf_AcceptsNamesAliasesAndArns(string? keyId, string? expected) =>
        Assert.Equal(expected, ComIO.ApiService.Encryption.Kms.KmsKeyStore.NameOf(keyId));
}
