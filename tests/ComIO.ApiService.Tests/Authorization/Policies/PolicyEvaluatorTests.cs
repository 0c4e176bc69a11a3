using ComIO.ApiService.Authorization.Policies;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Policies.PolicyTestData;

namespace ComIO.ApiService.Tests.Authorization.Policies;

public sealed class PolicyEvaluatorTests
{
    [Theory]
    [InlineData("s3:GetObject", true)]
    [InlineData("s3:GetObjectAcl", true)]
    [InlineData("S3:GETOBJECT", true)]
    [InlineData("s3:PutObject", false)]
    public void Evaluate_WildcardAction_MatchesCaseInsensitively(string action, bool allowed)
    {
        var policy = BucketPolicy(Statement(action: "\"s3:Get*\""));

        var decision = PolicyEvaluator.Evaluate(policy, Request(action, BucketArn + "/a.jpg"));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Theory]
    [InlineData("home/alice/a.jpg", true)]
    [InlineData("home/alice/deep/b.jpg", true)]
    [InlineData("home/alicex/a.jpg", false)]
    [InlineData("HOME/alice/a.jpg", false)]
    [InlineData("home/a.jpg", false)]
    public void Evaluate_ResourceWildcard_MatchesCaseSensitively(string key, bool allowed)
    {
        var policy = BucketPolicy(Statement(resource: "\"arn:aws:s3:::photos/home/alice/*\""));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject(key)));
    }

    [Theory]
    [InlineData("img1.jpg", true)]
    [InlineData("imgX.jpg", true)]
    [InlineData("img.jpg", false)]
    [InlineData("img12.jpg", false)]
    public void Evaluate_QuestionMarkInResource_MatchesExactlyOneCharacter(string key, bool allowed)
    {
        var policy = BucketPolicy(Statement(resource: "\"arn:aws:s3:::photos/img?.jpg\""));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject(key)));
    }

    [Fact]
    public void Evaluate_BucketArnResource_DoesNotMatchObjects()
    {
        var policy = BucketPolicy(Statement(action: "\"s3:*\"", resource: "\"arn:aws:s3:::photos\""));

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:ListBucket", BucketArn)));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a")));
    }

    [Fact]
    public void Evaluate_ExplicitDeny_WinsOverAllow()
    {
        var policy = BucketPolicy(
            Statement(action: "\"s3:*\""),
            Statement(effect: "Deny", action: "\"s3:GetObject\"", resource: "\"arn:aws:s3:::photos/secret/*\""));

        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, GetObject("secret/plans.txt", Alice)));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("public/cat.jpg", Alice)));
    }

    [Fact]
    public void Evaluate_NotAction_AppliesToEveryOtherAction()
    {
        var policy = BucketPolicy(Statement(effect: "Deny", actionField: "NotAction", action: "[\"s3:GetObject\",\"s3:ListBucket\"]"));

        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, Request("s3:PutObject", BucketArn + "/a")));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a")));
    }

    [Fact]
    public void Evaluate_NotResource_AppliesOutsideTheListedResources()
    {
        var policy = BucketPolicy(Statement(effect: "Deny", resourceField: "NotResource", resource: "\"arn:aws:s3:::photos/public/*\""));

        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, GetObject("private/a")));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("public/a")));
    }

    [Fact]
    public void Evaluate_NotPrincipal_AppliesToEveryoneElseIncludingAnonymous()
    {
        var policy = BucketPolicy(Statement(effect: "Deny", principalField: "NotPrincipal", principal: "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}"));

        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a", Alice)));
        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, GetObject("a", Bob)));
        Assert.Equal(PolicyDecision.Deny, PolicyEvaluator.Evaluate(policy, GetObject("a")));
    }

    [Theory]
    [InlineData("\"*\"")]
    [InlineData("{\"AWS\":\"*\"}")]
    [InlineData("{\"AWS\":[\"*\"]}")]
    public void Evaluate_EveryonePrincipal_MatchesAnonymousAndUsers(string principal)
    {
        var policy = BucketPolicy(Statement(principal: principal));

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a")));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("a", Mallory)));
    }

    [Theory]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}", true, false, false)]
    [InlineData("{\"AWS\":\"111122223333\"}", true, true, false)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:root\"}", true, true, false)]
    [InlineData("{\"CanonicalUser\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}", false, true, false)]
    public void Evaluate_NamedPrincipal_MatchesOnlyThatPrincipalOrAccount(string principal, bool alice, bool bob, bool mallory)
    {
        var policy = BucketPolicy(Statement(principal: principal));

        Assert.Equal(alice, PolicyEvaluator.Evaluate(policy, GetObject("a", Alice)) == PolicyDecision.Allow);
        Assert.Equal(bob, PolicyEvaluator.Evaluate(policy, GetObject("a", Bob)) == PolicyDecision.Allow);
        Assert.Equal(mallory, PolicyEvaluator.Evaluate(policy, GetObject("a", Mallory)) == PolicyDecision.Allow);
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("a")));
    }

    [Fact]
    public void Evaluate_IdentityPolicy_IgnoresPrincipal()
    {
        var policy = PolicyDocument.Parse(
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::*"}}""",
            PolicyKind.Identity);

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:PutObject", "arn:aws:s3:::any/key", Mallory)));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, Request("s3:ListAllMyBuckets", "arn:aws:s3:::any", null)));
    }

    [Theory]
    [InlineData("alice", "home/alice/a.txt", true)]
    [InlineData("alice", "home/bob/a.txt", false)]
    [InlineData("bob", "home/bob/a.txt", true)]
    public void Evaluate_UsernameVariableInResource_ResolvesPerRequest(string userName, string key, bool allowed)
    {
        var policy = BucketPolicy(Statement(principal: "{\"AWS\":\"111122223333\"}", resource: "\"arn:aws:s3:::photos/home/${aws:username}/*\""));
        var principal = userName == "alice" ? Alice : Bob;

        var decision = PolicyEvaluator.Evaluate(policy, GetObject(key, principal, ("aws:username", [userName])));

        Assert.Equal(allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable, decision);
    }

    [Fact]
    public void Evaluate_UnresolvableVariable_StatementDoesNotApply()
    {
        var policy = BucketPolicy(Statement(effect: "Deny", resource: "\"arn:aws:s3:::photos/home/${aws:username}/*\""));

        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("home/alice/a")));
    }

    [Fact]
    public void Evaluate_VariableValueWithWildcards_IsMatchedLiterally()
    {
        var policy = BucketPolicy(Statement(resource: "\"arn:aws:s3:::photos/home/${aws:username}/*\""));

        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("home/alice/a", null, ("aws:username", ["*"]))));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("home/*/a", null, ("aws:username", ["*"]))));
    }

    [Fact]
    public void Evaluate_EscapeSequences_AreLiteralCharacters()
    {
        var policy = BucketPolicy(Statement(resource: "\"arn:aws:s3:::photos/${*}${?}${$}\""));

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("*?$")));
        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("ab$")));
    }

    [Fact]
    public void Evaluate_VariablesIn2008Policy_AreLiteralText()
    {
        var policy = PolicyDocument.Parse(
            """{"Version":"2008-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::photos/${aws:username}"}}""",
            PolicyKind.Bucket,
            Bucket);

        Assert.Equal(PolicyDecision.NotApplicable, PolicyEvaluator.Evaluate(policy, GetObject("alice", Alice, ("aws:username", ["alice"]))));
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, GetObject("${aws:username}", Alice, ("aws:username", ["alice"]))));
    }

    [Fact]
    public void Evaluate_ContextDictionaryWithOrdinalComparer_StillMatchesKeysCaseInsensitively()
    {
        var policy = WithCondition("""{"StringEquals":{"S3:X-AMZ-ACL":"private"}}""");
        var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["s3:x-amz-acl"] = ["private"] };

        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(policy, new PolicyRequest("s3:GetObject", BucketArn + "/a", null, context)));
    }
}
