using ComIO.ApiService.Authorization.Policies;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Policies.PolicyTestData;

namespace ComIO.ApiService.Tests.Authorization.Policies;

public sealed class PolicyConditionTests
{
    /// <summary>Operator, policy value, and whether a request WITHOUT the key satisfies the condition (IAM missing-key rules).</summary>
    public static TheoryData<string, string, bool> MissingKeyCases => new()
    {
        { "StringEquals", "\"a\"", false },
        { "StringNotEquals", "\"a\"", true },
        { "StringEqualsIgnoreCase", "\"a\"", false },
        { "StringNotEqualsIgnoreCase", "\"a\"", true },
        { "StringLike", "\"a*\"", false },
        { "StringNotLike", "\"a*\"", true },
        { "NumericEquals", "\"1\"", false },
        { "NumericNotEquals", "\"1\"", true },
        { "NumericLessThan", "\"1\"", false },
        { "NumericGreaterThanEquals", "\"1\"", false },
        { "DateEquals", "\"2026-01-01T00:00:00Z\"", false },
        { "DateNotEquals", "\"2026-01-01T00:00:00Z\"", true },
        { "DateLessThan", "\"2026-01-01T00:00:00Z\"", false },
        { "Bool", "\"true\"", false },
        { "IpAddress", "\"10.0.0.0/8\"", false },
        { "NotIpAddress", "\"10.0.0.0/8\"", true },
        { "StringEqualsIfExists", "\"a\"", true },
        { "NumericLessThanIfExists", "\"1\"", true },
        { "DateLessThanIfExists", "\"2026-01-01T00:00:00Z\"", true },
        { "BoolIfExists", "\"true\"", true },
        { "IpAddressIfExists", "\"10.0.0.0/8\"", true },
        { "ForAnyValue:StringEquals", "\"a\"", false },
        { "ForAnyValue:StringNotEquals", "\"a\"", false },
        { "ForAllValues:StringEquals", "\"a\"", true },
        { "ForAllValues:StringNotLike", "\"a*\"", true },
        { "ForAnyValue:StringEqualsIfExists", "\"a\"", true },
        { "Null", "\"true\"", true },
        { "Null", "\"false\"", false },
    };

    [Theory]
    [MemberData(nameof(MissingKeyCases))]
    public void Evaluate_MissingKey_FollowsIamSemantics(string conditionOperator, string value, bool satisfied)
    {
        var policy = WithCondition($"{{\"{conditionOperator}\":{{\"test:key\":{value}}}}}");

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("other:key", ["x"])));

        Assert.Equal(satisfied ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData("home/alice/", true)]
    [InlineData("home/alice/photos/", true)]
    [InlineData("home/bob/", false)]
    [InlineData("home/", false)]
    public void Evaluate_StringLikePrefixWithUsernameVariable_AllowsOnlyOwnHome(string prefix, bool allowed)
    {
        var policy = BucketPolicy(Statement(
            principal: "{\"AWS\":\"111122223333\"}",
            action: "\"s3:ListBucket\"",
            resource: "\"arn:aws:s3:::photos\"",
            condition: """{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}"""));

        var request = Request("s3:ListBucket", BucketArn, Alice, ("s3:prefix", [prefix]), ("aws:username", ["alice"]));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, request));
    }

    [Theory]
    [InlineData("StringEquals", "Private", false)]
    [InlineData("StringEquals", "private", true)]
    [InlineData("StringEqualsIgnoreCase", "PRIVATE", true)]
    [InlineData("StringNotEquals", "public-read", true)]
    [InlineData("StringNotEquals", "private", false)]
    [InlineData("StringNotEqualsIgnoreCase", "PRIVATE", false)]
    [InlineData("StringNotLike", "public-read", false)]
    public void Evaluate_StringOperators_CompareAclHeader(string conditionOperator, string acl, bool allowed)
    {
        var value = conditionOperator == "StringNotLike" ? "public*" : "private";
        var policy = WithCondition($"{{\"{conditionOperator}\":{{\"s3:x-amz-acl\":\"{value}\"}}}}");

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:x-amz-acl", [acl])));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData("192.0.2.17", true)]
    [InlineData("192.0.3.1", false)]
    [InlineData("::ffff:192.0.2.5", true)]
    [InlineData("2001:db8:1234::1", true)]
    [InlineData("2001:db8:1235::1", false)]
    [InlineData("not-an-ip", false)]
    [InlineData("3221225985", false)]
    public void Evaluate_IpAddressWithV4AndV6Cidrs_MatchesContainedAddresses(string sourceIp, bool allowed)
    {
        var policy = WithCondition("""{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8:1234::/48"]}}""");

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:SourceIp", [sourceIp])));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData("203.0.113.9", true)]
    [InlineData("203.0.113.10", false)]
    [InlineData("2001:db8::1", true)]
    [InlineData("2001:db8::2", false)]
    public void Evaluate_IpAddressWithBareAddresses_MeansSingleHost(string sourceIp, bool allowed)
    {
        var policy = WithCondition("""{"IpAddress":{"aws:SourceIp":["203.0.113.9","2001:db8::1"]}}""");

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:SourceIp", [sourceIp])));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData("10.1.2.3", false)]
    [InlineData("11.0.0.1", true)]
    [InlineData("fd00::1", false)]
    [InlineData("2001:db8::1", true)]
    public void Evaluate_NotIpAddressDeny_DeniesOutsideTheNetworks(string sourceIp, bool denied)
    {
        var policy = BucketPolicy(
            Statement(),
            Statement(effect: "Deny", condition: """{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","fd00::/8"]}}"""));

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:SourceIp", [sourceIp])));

        Assert.Equal(denied ? PolicyDecision.Deny : PolicyDecision.Allow, decision);
    }

    [Theory]
    [InlineData("false", true)]
    [InlineData("FALSE", true)]
    [InlineData("true", false)]
    public void Evaluate_BoolSecureTransportDeny_DeniesPlainHttp(string secureTransport, bool denied)
    {
        var policy = BucketPolicy(
            Statement(),
            Statement(effect: "Deny", action: "\"s3:*\"", condition: """{"Bool":{"aws:SecureTransport":false}}"""));

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:SecureTransport", [secureTransport])));

        Assert.Equal(denied ? PolicyDecision.Deny : PolicyDecision.Allow, decision);
    }

    [Theory]
    [InlineData("2026-06-30T23:59:59Z", true)]
    [InlineData("2026-07-01T00:00:00Z", false)]
    [InlineData("2026-07-01T01:00:00+02:00", true)]
    [InlineData("garbage", false)]
    public void Evaluate_DateLessThanCurrentTime_AllowsUntilTheDeadline(string now, bool allowed)
    {
        var policy = WithCondition("""{"DateLessThan":{"aws:CurrentTime":"2026-07-01T00:00:00Z"}}""");

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:CurrentTime", [now])));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Fact]
    public void Evaluate_DateGreaterThanEqualsEpochTime_ComparesEpochSecondsWithIsoDates()
    {
        var policy = WithCondition("""{"DateGreaterThanEquals":{"aws:EpochTime":"2026-01-01T00:00:00Z"}}""");
        var deadline = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:EpochTime", [$"{deadline}"]))));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("aws:EpochTime", [$"{deadline - 1}"]))));
    }

    [Theory]
    [InlineData("100", true)]
    [InlineData("99", true)]
    [InlineData("101", false)]
    [InlineData("1e2", true)]
    [InlineData("lots", false)]
    public void Evaluate_NumericLessThanEqualsMaxKeys_CapsListingSize(string maxKeys, bool allowed)
    {
        var policy = BucketPolicy(Statement(
            action: "\"s3:ListBucket\"",
            resource: "\"arn:aws:s3:::photos\"",
            condition: """{"NumericLessThanEquals":{"s3:max-keys":100}}"""));

        var decision = PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", BucketArn, null, ("s3:max-keys", [maxKeys])));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData(new[] { "project" }, true)]
    [InlineData(new[] { "project", "owner" }, true)]
    [InlineData(new[] { "project", "secret" }, false)]
    public void Evaluate_ForAllValues_RequiresEveryRequestValueInTheSet(string[] tagKeys, bool allowed)
    {
        var policy = WithCondition("""{"ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["project","owner"]}}""");

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:RequestObjectTagKeys", tagKeys)));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData(new[] { "project" }, false)]
    [InlineData(new[] { "misc", "secret" }, true)]
    public void Evaluate_ForAnyValue_RequiresOneRequestValueInTheSet(string[] tagKeys, bool denied)
    {
        var policy = BucketPolicy(
            Statement(),
            Statement(effect: "Deny", condition: """{"ForAnyValue:StringLike":{"s3:RequestObjectTagKeys":["secret*","confidential"]}}"""));

        var decision = PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:RequestObjectTagKeys", tagKeys)));

        Assert.Equal(denied ? PolicyDecision.Deny : PolicyDecision.Allow, decision);
    }

    [Fact]
    public void Evaluate_ForAnyValueNegated_TrueWhenOneValueIsOutsideTheSet()
    {
        var policy = WithCondition("""{"ForAnyValue:StringNotEquals":{"s3:RequestObjectTagKeys":["project"]}}""");

        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:RequestObjectTagKeys", ["project"]))));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:RequestObjectTagKeys", ["project", "x"]))));
    }

    [Fact]
    public void Evaluate_IfExistsWithPresentKey_ChecksTheValue()
    {
        var policy = WithCondition("""{"StringEqualsIfExists":{"s3:x-amz-acl":"private"}}""");

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:x-amz-acl", ["private"]))));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:x-amz-acl", ["public-read"]))));
    }

    [Fact]
    public void Evaluate_NullCondition_TestsPresence()
    {
        var policy = WithCondition("""{"Null":{"s3:ExistingObjectTag/classification":"false"}}""");

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:ExistingObjectTag/classification", ["public"]))));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a")));
    }

    [Fact]
    public void Evaluate_SeveralConditions_AreAndedAndValuesOred()
    {
        var policy = WithCondition("""
            {"StringEquals":{"s3:x-amz-acl":["private","bucket-owner-full-control"],"s3:delimiter":"/"},
             "Bool":{"aws:SecureTransport":"true"}}
            """);

        var all = GetObject("a", null, ("s3:x-amz-acl", ["bucket-owner-full-control"]), ("s3:delimiter", ["/"]), ("aws:SecureTransport", ["true"]));
        var noTls = GetObject("a", null, ("s3:x-amz-acl", ["private"]), ("s3:delimiter", ["/"]), ("aws:SecureTransport", ["false"]));

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, all));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, noTls));
    }

    [Fact]
    public void Evaluate_ConditionKeyAndOperatorCase_AreIgnored()
    {
        var policy = WithCondition("""{"stringequals":{"AWS:USERNAME":"alice"}}""");

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", Alice, ("aws:username", ["alice"]))));
    }

    [Fact]
    public void Evaluate_UnresolvableVariableInConditionValue_StatementDoesNotApply()
    {
        var policy = BucketPolicy(
            Statement(),
            Statement(effect: "Deny", condition: """{"StringNotEquals":{"s3:prefix":"${aws:userid}"}}"""));

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:prefix", ["x"]))));
        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, GetObject("a", null, ("s3:prefix", ["x"]), ("aws:userid", ["AIDA1"]))));
    }
}
