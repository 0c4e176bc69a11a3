using System.Text;
using ComIO.ApiService.Browser.PostObject;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>POST policy documents: parse errors, every condition kind passing and failing, extra fields, expiration, content-length-range.</summary>
public sealed class PostPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    private static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    private static PostPolicy Policy(params string[] conditions) =>
        PostPolicy.Parse(Encode($$"""{ "expiration": "2026-12-01T12:00:00.000Z", "conditions": [{{string.Join(",", conditions)}}] }"""));

    private static Dictionary<string, string> Fields(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    private static void AssertDenied(string message, Action action)
    {
        var error = Assert.Throws<S3Exception>(action);
        Assert.Equal(S3ErrorCode.AccessDenied, error.Error);
        Assert.Equal(message, error.Message);
    }

    private static void AssertInvalidPolicy(string message, string base64)
    {
        var error = Assert.Throws<S3Exception>(() => PostPolicy.Parse(base64));
        Assert.Equal(S3ErrorCodes.InvalidPolicyDocument, error.Error);
        Assert.Equal(400, (int)error.Error.Status);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_ReadsExpirationAndConditions_AwsExampleWithTrailingComma()
    {
        var policy = PostPolicy.Parse(Encode("""
            { "expiration": "2007-12-01T12:00:00.000Z",
              "conditions": [
                {"acl": "public-read" },
                {"bucket": "johnsmith" },
                ["starts-with", "$key", "user/eric/"],
              ]
            }
            """));

        Assert.Equal(new DateTimeOffset(2007, 12, 1, 12, 0, 0, TimeSpan.Zero), policy.Expiration);
        Assert.Equal(3, policy.Conditions.Count);
        Assert.Equal(new PostPolicyCondition(PostPolicyOperator.Eq, "acl", "public-read", 0, 0, "[\"eq\", \"$acl\", \"public-read\"]"), policy.Conditions[0]);
        Assert.Equal(PostPolicyOperator.StartsWith, policy.Conditions[2].Operator);
        Assert.Equal("key", policy.Conditions[2].Field);
        Assert.Equal("user/eric/", policy.Conditions[2].Value);
        Assert.Null(policy.ContentLengthRange);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("e30")]
    public void Parse_RejectsUndecodableBase64(string base64)
    {
        AssertInvalidPolicy("Invalid Policy: invalid Base64 encoding.", base64);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [{\"key\": null}]}")]
    [InlineData("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [[\"content-length-range\", 0, 512.0]]}")]
    [InlineData("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [[\"content-length-range\", -1, 0]]}")]
    [InlineData("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [[\"eq\", \"$key\", 5]]}")]
    [InlineData("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [[5, \"$key\", \"x\"]]}")]
    public void Parse_RejectsNonObjectJsonOrBadOperand_AsInvalidJson(string json)
    {
        AssertInvalidPolicy("Invalid Policy: Invalid JSON.", Encode(json));
    }

    [Fact]
    public void Parse_RejectsMissingExpiration()
    {
        AssertInvalidPolicy("Invalid Policy: Policy missing expiration.", Encode("{\"conditions\": []}"));
    }

    [Theory]
    [InlineData("\"tomorrow\"", "tomorrow")]
    [InlineData("12", "12")]
    [InlineData("\"2026-13-01T00:00:00Z\"", "2026-13-01T00:00:00Z")]
    [InlineData("\"2011-09-13T07:52:58+02:00\"", "2011-09-13T07:52:58+02:00")]
    [InlineData("\"2015-10-17 03:15:59 UTC\"", "2015-10-17 03:15:59 UTC")]
    public void Parse_RejectsInvalidExpiration_QuotingTheValue(string expiration, string quoted)
    {
        AssertInvalidPolicy($"Invalid Policy: Invalid 'expiration' value: '{quoted}'", Encode($"{{\"expiration\": {expiration}, \"conditions\": []}}"));
    }

    [Fact]
    public void Parse_RejectsMissingConditions()
    {
        AssertInvalidPolicy("Invalid Policy: Policy missing conditions.", Encode("{\"expiration\": \"2026-12-01T12:00:00Z\"}"));
    }

    [Fact]
    public void Parse_RejectsConditionsThatAreNotAList()
    {
        AssertInvalidPolicy("Invalid Policy: Invalid 'conditions' value: must be a List.", Encode("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": {}}"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"acl\": \"a\", \"key\": \"b\"}")]
    public void Parse_RejectsSimpleConditionWithoutExactlyOneProperty(string condition)
    {
        AssertInvalidPolicy(
            "Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.",
            Encode($"{{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [{condition}]}}"));
    }

    [Theory]
    [InlineData("42", "Invalid condition test: must be a List or Object.")]
    [InlineData("[]", "Invalid Condition: missing operation identifier.")]
    [InlineData("[\"ends-with\", \"$key\", \"x\"]", "Invalid Condition: unknown operation 'ends-with'.")]
    [InlineData("[\"eq\", \"$key\"]", "Invalid eq: wrong number of arguments.")]
    [InlineData("[\"content-length-range\", 0]", "Invalid content-length-range: wrong number of arguments.")]
    [InlineData("{\"Content-Length\": 6199034}", "Invalid Simple-Condition: value must be a string.")]
    public void Parse_RejectsConditionS3CannotRead(string condition, string detail)
    {
        AssertInvalidPolicy("Invalid Policy: " + detail, Encode($"{{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [{condition}]}}"));
    }

    [Fact]
    public void Parse_RejectsUnknownMember_BeforeMissingExpiration()
    {
        AssertInvalidPolicy("Invalid Policy: Unexpected: 'statement'", Encode("{\"Statement\": []}"));
    }

    [Fact]
    public void Parse_AcceptsCaseInsensitiveOperations_AndNoFractionalSeconds()
    {
        var policy = Policy("[\"StArTs-WiTh\", \"$KeY\", \"foo\"]", "[\"EQ\", \"$acl\", \"private\"]");

        Assert.Equal(PostPolicyOperator.StartsWith, policy.Conditions[0].Operator);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), policy.Expiration);
        PostPolicyValidator.Validate(policy, Fields(("kEy", "foo.txt"), ("ACL", "private")), Now);
    }

    [Fact]
    public void Parse_IntersectsContentLengthRanges_NumbersOrStrings()
    {
        var policy = Policy("[\"content-length-range\", 10, 1000]", "[\"content-length-range\", \"20\", \"500\"]");

        Assert.Equal((20L, 500L), policy.ContentLengthRange);
    }

    [Theory]
    [InlineData("{\"acl\": \"public-read\"}", "acl", "public-read")]
    [InlineData("[\"eq\", \"$key\", \"photos/a.jpg\"]", "key", "photos/a.jpg")]
    [InlineData("[\"eq\", \"$KEY\", \"photos/a.jpg\"]", "key", "photos/a.jpg")]
    [InlineData("[\"starts-with\", \"$key\", \"photos/\"]", "Key", "photos/a.jpg")]
    [InlineData("[\"starts-with\", \"$key\", \"\"]", "key", "anything")]
    [InlineData("[\"starts-with\", \"$Content-Type\", \"image/\"]", "content-type", "image/jpeg")]
    [InlineData("[\"starts-with\", \"$Content-Type\", \"image/\"]", "Content-Type", "image/jpeg, image/png")]
    [InlineData("[\"starts-with\", \"$x-amz-meta-tag\", \"\"]", "X-Amz-Meta-Tag", "v")]
    [InlineData("[\"starts-with\", \"$success_action_redirect\", \"https://example.com/\"]", "success_action_redirect", "https://example.com/done")]
    [InlineData("[\"starts-with\", \"$Cache-Control\", \"max-age\"]", "Cache-Control", "max-age=60")]
    [InlineData("{\"success_action_status\": \"201\"}", "success_action_status", "201")]
    [InlineData("[\"eq\", \"$x-amz-security-token\", \"tok\"]", "x-amz-security-token", "tok")]
    public void Validate_Passes_WhenConditionHolds(string condition, string field, string value)
    {
        PostPolicyValidator.Validate(Policy(condition), Fields((field, value)), Now);
    }

    [Theory]
    [InlineData("{\"acl\": \"public-read\"}", "acl", "private", "[\"eq\", \"$acl\", \"public-read\"]")]
    [InlineData("[\"eq\", \"$key\", \"x\"]", "key", "y", "[\"eq\", \"$key\", \"x\"]")]
    [InlineData("[\"eq\", \"$key\", \"x\"]", "key", "X", "[\"eq\", \"$key\", \"x\"]")]
    [InlineData("[\"eq\", \"$key\", \"x\"]", "acl", "x", "[\"eq\", \"$key\", \"x\"]")]
    [InlineData("[\"starts-with\", \"$key\", \"user/eric/\"]", "key", "user/bob/a", "[\"starts-with\", \"$key\", \"user/eric/\"]")]
    [InlineData("[\"starts-with\", \"$Content-Type\", \"\"]", "acl", "x", "[\"starts-with\", \"$Content-Type\", \"\"]")]
    [InlineData("[\"starts-with\", \"$Content-Type\", \"image/\"]", "Content-Type", "image/jpeg, text/html", "[\"starts-with\", \"$Content-Type\", \"image/\"]")]
    [InlineData("[\"starts-with\", \"$bucket\", \"\"]", "bucket", "b", "[\"starts-with\", \"$bucket\", \"\"]")]
    [InlineData("[\"starts-with\", \"$x-amz-date\", \"2026\"]", "x-amz-date", "20261126T000000Z", "[\"starts-with\", \"$x-amz-date\", \"2026\"]")]
    [InlineData("[\"eq\", \"key\", \"x\"]", "key", "x", "[\"eq\", \"key\", \"x\"]")]
    [InlineData("[\"content-length-range\", \"test\", \"10\"]", "key", "x", "[\"content-length-range\", \"test\", \"10\"]")]
    public void Validate_FailsWithConditionText_WhenConditionDoesNotHold(string condition, string field, string value, string quoted)
    {
        AssertDenied(
            "Invalid according to Policy: Policy Condition failed: " + quoted,
            () => PostPolicyValidator.Validate(Policy(condition), Fields((field, value)), Now));
    }

    [Fact]
    public void Validate_QuotesEscapedCharacters_InConditionText()
    {
        AssertDenied(
            "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"a\\\"b\"]",
            () => PostPolicyValidator.Validate(Policy("[\"eq\", \"$key\", \"a\\\"b\"]"), Fields(("key", "ab")), Now));
    }

    [Fact]
    public void Validate_ReportsFirstFailingCondition_InPolicyOrder()
    {
        var policy = Policy("[\"eq\", \"$bucket\", \"b\"]", "[\"eq\", \"$key\", \"k\"]", "[\"eq\", \"$acl\", \"private\"]");

        AssertDenied(
            "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"k\"]",
            () => PostPolicyValidator.Validate(policy, Fields(("bucket", "b"), ("key", "other"), ("acl", "public-read")), Now));
    }

    [Fact]
    public void Validate_RejectsFieldWithoutCondition_AsExtraInputField()
    {
        var policy = Policy("[\"eq\", \"$bucket\", \"b\"]", "[\"starts-with\", \"$key\", \"\"]");

        AssertDenied(
            "Invalid according to Policy: Extra input fields: content-type",
            () => PostPolicyValidator.Validate(policy, Fields(("bucket", "b"), ("key", "k"), ("Content-Type", "text/plain")), Now));
    }

    [Fact]
    public void Validate_RejectsBucket_WhenPolicyHasNoBucketCondition()
    {
        AssertDenied(
            "Invalid according to Policy: Extra input fields: bucket",
            () => PostPolicyValidator.Validate(Policy("[\"starts-with\", \"$key\", \"\"]"), Fields(("key", "k"), ("bucket", "b")), Now));
    }

    [Fact]
    public void Validate_IgnoresExemptFields_SignaturePolicyFileAndXIgnore()
    {
        var policy = Policy("[\"eq\", \"$bucket\", \"b\"]", "[\"starts-with\", \"$key\", \"\"]");

        PostPolicyValidator.Validate(
            policy,
            Fields(("bucket", "b"), ("key", "k"), ("X-Amz-Signature", "sig"), ("Policy", "p"), ("file", "f"), ("x-ignore-anything", "1"), ("X-Ignore-Other", "2")),
            Now);
    }

    [Fact]
    public void Validate_RejectsExpiredPolicy_BeforeCheckingConditions()
    {
        var policy = PostPolicy.Parse(Encode("{\"expiration\": \"2026-11-26T11:59:59Z\", \"conditions\": [[\"eq\", \"$key\", \"x\"]]}"));

        AssertDenied("Invalid according to Policy: Policy expired.", () => PostPolicyValidator.Validate(policy, Fields(("key", "y")), Now));
        PostPolicyValidator.Validate(policy, Fields(("key", "x")), Now.AddSeconds(-1));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(50)]
    [InlineData(100)]
    public void ValidateContentLength_Passes_WhenInsideRange(long length)
    {
        PostPolicyValidator.ValidateContentLength(Policy("[\"content-length-range\", 10, 100]"), length);
    }

    [Fact]
    public void ValidateContentLength_ThrowsEntityTooLarge_WithAwsElements()
    {
        var error = Assert.Throws<S3Exception>(() => PostPolicyValidator.ValidateContentLength(Policy("[\"content-length-range\", 10, 100]"), 101));

        Assert.Equal(S3ErrorCode.EntityTooLarge, error.Error);
        Assert.Equal("Your proposed upload exceeds the maximum allowed size", error.Message);
        Assert.Equal([new("ProposedSize", "101"), new("MaxSizeAllowed", "100")], error.ExtraElements);
    }

    [Fact]
    public void ValidateContentLength_ThrowsEntityTooSmall_WithAwsElements()
    {
        var error = Assert.Throws<S3Exception>(() => PostPolicyValidator.ValidateContentLength(Policy("[\"content-length-range\", 10, 100]"), 9));

        Assert.Equal(S3ErrorCode.EntityTooSmall, error.Error);
        Assert.Equal("Your proposed upload is smaller than the minimum allowed size", error.Message);
        Assert.Equal([new("ProposedSize", "9"), new("MinSizeAllowed", "10")], error.ExtraElements);
    }

    [Fact]
    public void ValidateContentLength_AllowsAnySize_WithoutRange()
    {
        PostPolicyValidator.ValidateContentLength(Policy("[\"eq\", \"$key\", \"x\"]"), long.MaxValue);
    }

    [Fact]
    public void Parse_RandomBytes_OnlyThrowsInvalidPolicyDocument()
    {
        var random = new Random(42);
        var seed = Encoding.UTF8.GetBytes("{\"expiration\": \"2026-12-01T12:00:00Z\", \"conditions\": [[\"eq\", \"$key\", \"x\"], {\"acl\": \"a\"}, [\"content-length-range\", 1, 2]]}");
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])seed.Clone();
            for (var f = random.Next(1, 4); f > 0; f--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                var policy = PostPolicy.Parse(Convert.ToBase64String(bytes[..random.Next(bytes.Length + 1)]));
                Assert.NotNull(policy.Conditions);
            }
            catch (S3Exception error)
            {
                Assert.Equal(S3ErrorCodes.InvalidPolicyDocument, error.Error);
            }
        }
    }
}
