using ComIO.ApiService.Authorization.Policies;
using Xunit;

namespace ComIO.ApiService.Tests.Authorization.Policies;

public sealed class PolicyDocumentParseTests
{
    private const string Valid = """
        {
          "Version": "2012-10-17",
          "Id": "photos-policy",
          "Statement": [
            { "Sid": "Read", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:user/alice", "444455556666"]},
              "Action": ["s3:GetObject", "s3:List*"], "Resource": ["arn:aws:s3:::photos", "arn:aws:s3:::photos/*"],
              "Condition": { "StringLike": { "s3:prefix": ["home/${aws:username}/*", "public/"] }, "Bool": { "aws:SecureTransport": true } } },
            { "Effect": "Deny", "NotPrincipal": {"CanonicalUser": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
              "NotAction": "s3:get?bject", "NotResource": "arn:aws:s3:::photos/public/*" }
          ]
        }
        """;

    public static TheoryData<string, string> Rejections => new()
    {
        { "", "Policies must be valid JSON and the first byte must be '{'" },
        { "[]", "Policies must be valid JSON and the first byte must be '{'" },
        { "{\"Statement\": ", "Policies must be valid JSON and the first byte must be '{'" },
        { "{\"Version\":\"2012-10-17\"}", "Missing required field Statement" },
        { "{\"Statement\":[]}", "Missing required field Statement" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:Fly\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Policy has invalid action" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"iam:*\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Policy has invalid action" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:Gte*\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Policy has invalid action" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[],\"Resource\":\"arn:aws:s3:::photos\"}}", "Policy has invalid action" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::other/*\"}}", "Policy has invalid resource" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos*\"}}", "Policy has invalid resource" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::*/x\"}}", "Policy has invalid resource" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}", "Policy has invalid resource" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Resource\":\"arn:aws:s3:::photos/*\"}}", "Invalid policy syntax." },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"NotAction\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid policy syntax." },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":[]}}", "Invalid policy syntax." },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Effects\":\"Allow\"}}", "Unknown field Effects" },
        { "{\"Statment\":[]}", "Unknown field Statment" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"StringEq\":{\"s3:prefix\":\"a\"}}}}", "Invalid Condition operator: StringEq" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"ForAnyValue:NullIfExists\":{\"s3:prefix\":\"true\"}}}}", "Invalid Condition operator: ForAnyValue:NullIfExists" },
        { "{\"Statement\":{\"Effect\":\"allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid effect: allow" },
        { "{\"Statement\":{\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Missing required field Effect" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Missing required field Action" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\"}}", "Missing required field Resource" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Missing required field Principal" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/*\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid principal in policy" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"alice\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid principal in policy" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"CanonicalUser\":\"abc\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid principal in policy" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"arn:aws:iam::111122223333:root\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid principal in policy" },
        { "{\"Version\":\"2020-01-01\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}}", "Invalid policy version: 2020-01-01" },
        { "{\"Statement\":[{\"Sid\":\"a\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"},{\"Sid\":\"a\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\"}]}", "Statement IDs (SID) in a single policy must be unique." },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}}}", "Invalid Condition value for IpAddress: 10.0.0.0/33" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"NumericLessThan\":{\"s3:max-keys\":\"ten\"}}}}", "Invalid Condition value for NumericLessThan: ten" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"soon\"}}}}", "Invalid Condition value for DateLessThan: soon" },
        { "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"yes\"}}}}", "Invalid Condition value for Bool: yes" },
    };

    [Fact]
    public void Parse_ValidBucketPolicy_KeepsJsonVersionAndId()
    {
        var policy = PolicyDocument.Parse(Valid, PolicyKind.Bucket, PolicyTestData.Bucket);

        Assert.Same(Valid, policy.Json);
        Assert.Equal("2012-10-17", policy.Version);
        Assert.Equal("photos-policy", policy.Id);
        Assert.Equal(PolicyKind.Bucket, policy.Kind);
        Assert.Equal(PolicyTestData.Bucket, policy.BucketName);
        Assert.False(policy.IsPublic);
    }

    [Fact]
    public void Parse_StatementAsSingleObjectWithoutVersion_IsAccepted()
    {
        var policy = PolicyDocument.Parse(
            """{"Statement":{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":"arn:aws:s3:::photos/*"}}""",
            PolicyKind.Bucket,
            PolicyTestData.Bucket);

        Assert.Null(policy.Version);
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, PolicyTestData.GetObject("a")));
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Parse_InvalidBucketPolicy_ThrowsAwsMessage(string json, string message)
    {
        var exception = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, PolicyKind.Bucket, PolicyTestData.Bucket));
        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Parse_DocumentLargerThan20KiB_Throws()
    {
        var padding = new string('x', PolicyDocument.MaxDocumentBytes);
        var json = """{"Id":"PADDING","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos"}}""".Replace("PADDING", padding, StringComparison.Ordinal);

        var exception = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, PolicyKind.Bucket, PolicyTestData.Bucket));
        Assert.Equal("Policy exceeds the maximum allowed document size.", exception.Message);
    }

    [Fact]
    public void Parse_NestingDeeperThan16_ThrowsNotJson()
    {
        var json = "{\"Id\":" + new string('[', 40) + new string(']', 40) + "}";

        var exception = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, PolicyKind.Bucket, PolicyTestData.Bucket));
        Assert.Equal("Policies must be valid JSON and the first byte must be '{'", exception.Message);
    }

    [Fact]
    public void Parse_IdentityPolicyWithPrincipal_Throws()
    {
        var json = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}""";

        var exception = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, PolicyKind.Identity));
        Assert.Equal("Policy document should not specify a principal.", exception.Message);
    }

    [Fact]
    public void Parse_IdentityPolicyOnAnyBucket_IsAcceptedAndNeverPublic()
    {
        var json = """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":["*","arn:aws:s3:::other/*"]}}""";

        var policy = PolicyDocument.Parse(json, PolicyKind.Identity, "ignored");

        Assert.Null(policy.BucketName);
        Assert.False(policy.IsPublic);
    }

    [Fact]
    public void Parse_IdentityPolicyWithNonS3Resource_Throws()
    {
        var json = """{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:iam::111122223333:user/alice"}}""";

        var exception = Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, PolicyKind.Identity));
        Assert.Equal("Policy has invalid resource", exception.Message);
    }

    [Fact]
    public void Parse_BucketKindWithoutBucketName_ThrowsArgumentException()
    {
        Assert.ThrowsAny<ArgumentException>(() => PolicyDocument.Parse("{}", PolicyKind.Bucket));
    }

    [Fact]
    public void Parse_LoneSurrogateEscape_ThrowsPolicyFormatException()
    {
        var json = """{"Id":"\uD800","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos"}}""";

        Assert.Throws<PolicyFormatException>(() => PolicyDocument.Parse(json, PolicyKind.Bucket, PolicyTestData.Bucket));
    }

    [Theory]
    [InlineData("s3:*")]
    [InlineData("*")]
    [InlineData("S3:getobject")]
    [InlineData("s3:Get*")]
    [InlineData("s3:*Object")]
    [InlineData("s3:PutBucketPolicy")]
    [InlineData("s3:BypassGovernanceRetention")]
    public void Parse_KnownOrMatchingActions_AreAccepted(string action)
    {
        var policy = PolicyTestData.BucketPolicy(PolicyTestData.Statement(action: $"\"{action}\""));

        Assert.Single(policy.Statements);
    }
}
