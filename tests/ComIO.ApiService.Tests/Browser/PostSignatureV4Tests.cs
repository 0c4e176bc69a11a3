using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Browser.PostObject;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>SigV4 browser-upload signatures, computed independently here with System.Security.Cryptography.</summary>
public sealed class PostSignatureV4Tests
{
    private const string AccessKey = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Region = "us-east-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly string Policy = Convert.ToBase64String(Encoding.UTF8.GetBytes(
        "{\"expiration\": \"2026-11-27T12:00:00.000Z\", \"conditions\": [{\"bucket\": \"b\"}, [\"starts-with\", \"$key\", \"\"]]}"));

    private static string? Lookup(string accessKeyId) => accessKeyId == AccessKey ? Secret : null;

    /// <summary>An independent SigV4 POST signature: HMAC chain over date, region, "s3", "aws4_request", then the policy.</summary>
    private static string Sign(string secret, string date, string region, string policy)
    {
        static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), region), "s3"), "aws4_request");
        return Convert.ToHexString(Hmac(key, policy)).ToLowerInvariant();
    }

    private static Dictionary<string, string> Form(string? signature = null, string credentialDate = "20261126", string region = Region, string accessKey = AccessKey) => new()
    {
        ["key"] = "k",
        ["X-Amz-Algorithm"] = "AWS4-HMAC-SHA256",
        ["X-Amz-Credential"] = $"{accessKey}/{credentialDate}/{region}/s3/aws4_request",
        ["X-Amz-Date"] = "20261126T110000Z",
        ["Policy"] = Policy,
        ["X-Amz-Signature"] = signature ?? Sign(Secret, credentialDate, region, Policy),
    };

    private static S3Exception Fails(Dictionary<string, string> form) =>
        Assert.Throws<S3Exception>(() => PostSignatureV4.Verify(form, Lookup, Region));

    [Fact]
    public void Verify_ReturnsAccessKey_WhenSignatureIsRight()
    {
        Assert.Equal(AccessKey, PostSignatureV4.Verify(Form(), Lookup, Region));
    }

    [Fact]
    public void Verify_AcceptsUpperCaseHexAndLowerCaseFieldNames()
    {
        var form = Form().ToDictionary(f => f.Key.ToLowerInvariant(), f => f.Value);
        form["x-amz-signature"] = form["x-amz-signature"].ToUpperInvariant();

        Assert.Equal(AccessKey, PostSignatureV4.Verify(form, Lookup, Region));
    }

    [Fact]
    public void Verify_ReturnsNull_WhenFormIsAnonymous()
    {
        Assert.Null(PostSignatureV4.Verify(new Dictionary<string, string> { ["key"] = "k", ["acl"] = "public-read" }, Lookup, Region));
    }

    [Fact]
    public void Verify_ThrowsSignatureDoesNotMatch_WhenSignatureIsWrong()
    {
        var wrong = Sign("another secret", "20261126", Region, Policy);
        var error = Fails(Form(wrong));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, error.Error);
        Assert.Equal(
            [
                new("AWSAccessKeyId", AccessKey), new("StringToSign", Policy), new("SignatureProvided", wrong),
                new("StringToSignBytes", string.Join(' ', Encoding.UTF8.GetBytes(Policy).Select(b => b.ToString("x2")))),
            ],
            error.ExtraElements);
    }

    [Fact]
    public void Verify_ThrowsSignatureDoesNotMatch_WhenPolicyWasChanged()
    {
        var form = Form();
        form["Policy"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"expiration\": \"2099-01-01T00:00:00Z\", \"conditions\": []}"));

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, Fails(form).Error);
    }

    [Fact]
    public void Verify_ThrowsSignatureDoesNotMatch_WhenSignedWithAnotherDateScope()
    {
        var signedForYesterday = Sign(Secret, "20261125", Region, Policy);

        Assert.Equal(S3ErrorCode.SignatureDoesNotMatch, Fails(Form(signedForYesterday)).Error);
    }

    [Fact]
    public void Verify_ThrowsInvalidAccessKeyId_WhenKeyUnknown()
    {
        var error = Fails(Form(accessKey: "AKIDUNKNOWN"));

        Assert.Equal(S3ErrorCode.InvalidAccessKeyId, error.Error);
        Assert.Equal(403, (int)error.Error.Status);
        Assert.Equal([new("AWSAccessKeyId", "AKIDUNKNOWN")], error.ExtraElements);
    }

    [Fact]
    public void Verify_DerivesKeyFromCredentialDate_NotFromXAmzDate()
    {
        Assert.Equal(AccessKey, PostSignatureV4.Verify(Form(credentialDate: "20261125"), Lookup, Region));
    }

    [Fact]
    public void Verify_ReturnsNull_WhenOnlyPolicyIsSent()
    {
        Assert.Null(PostSignatureV4.Verify(new Dictionary<string, string> { ["key"] = "k", ["policy"] = Policy }, Lookup, Region));
    }

    [Fact]
    public void Verify_ThrowsInvalidArgument_WhenRegionIsWrong()
    {
        var error = Fails(Form(region: "eu-west-1"));

        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
        Assert.Equal("the region 'eu-west-1' is wrong; expecting 'us-east-1'", error.Message);
        Assert.Equal(
            [new("ArgumentName", "X-Amz-Credential"), new("ArgumentValue", $"{AccessKey}/20261126/eu-west-1/s3/aws4_request"), new("Region", "us-east-1")],
            error.ExtraElements);
    }

    [Theory]
    [InlineData("X-Amz-Algorithm", "X-Amz-Algorithm")]
    [InlineData("X-Amz-Credential", "X-Amz-Credential")]
    [InlineData("X-Amz-Date", "X-Amz-Date")]
    [InlineData("X-Amz-Signature", "X-Amz-Signature")]
    [InlineData("Policy", "Policy")]
    public void Verify_ThrowsInvalidArgument_WhenFieldMissing(string removed, string reported)
    {
        var form = Form();
        form.Remove(removed);
        var error = Fails(form);

        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
        Assert.Equal($"Bucket POST must contain a field named '{reported}'.  If it is specified, please check the order of the fields.", error.Message);
        Assert.Equal([new("ArgumentName", reported), new("ArgumentValue", "")], error.ExtraElements);
    }

    [Theory]
    [InlineData("AKID/20261126/us-east-1/s3", "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")]
    [InlineData("/20261126/us-east-1/s3/aws4_request", "a non-empty Access Key (AKID) must be provided in the credential.")]
    [InlineData("AKID/2026-11-26/us-east-1/s3/aws4_request", "incorrect date format \"2026-11-26\". This date in the credential must be in the format \"yyyyMMdd\".")]
    [InlineData("AKID/20261126/us-east-1/sqs/aws4_request", "incorrect service \"sqs\". This endpoint belongs to \"s3\".")]
    [InlineData("AKID/20261126/us-east-1/s3/aws5_request", "incorrect terminal \"aws5_request\". This endpoint uses \"aws4_request\".")]
    public void Verify_ThrowsInvalidArgument_WhenCredentialMalformed(string credential, string message)
    {
        var form = Form();
        form["X-Amz-Credential"] = credential;

        var error = Fails(form);
        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
        Assert.Equal(message, error.Message);
        Assert.Equal([new("ArgumentName", "X-Amz-Credential"), new("ArgumentValue", credential)], error.ExtraElements);
    }

    [Fact]
    public void Verify_ThrowsInvalidArgument_WhenDateMalformed()
    {
        var form = Form();
        form["X-Amz-Date"] = "2026-11-26T11:00:00Z";

        var error = Fails(form);
        Assert.Equal(S3ErrorCode.InvalidArgument, error.Error);
        Assert.Equal("X-Amz-Date must be formated via ISO8601 Long format", error.Message);
        Assert.Equal([new("ArgumentName", "X-Amz-Date"), new("ArgumentValue", "2026-11-26T11:00:00Z")], error.ExtraElements);
    }

    [Fact]
    public void Verify_ThrowsInvalidRequest_ForOtherAlgorithmOrSigV2()
    {
        var form = Form();
        form["X-Amz-Algorithm"] = "AWS4-HMAC-SHA1";
        Assert.Equal(S3ErrorCode.InvalidRequest, Fails(form).Error);

        var v2 = new Dictionary<string, string> { ["key"] = "k", ["AWSAccessKeyId"] = AccessKey, ["policy"] = Policy, ["signature"] = "x" };
        var error = Fails(v2);
        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
        Assert.Equal("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.", error.Message);
    }
}
