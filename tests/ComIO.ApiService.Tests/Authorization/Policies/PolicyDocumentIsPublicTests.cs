using Xunit;
using static ComIO.ApiService.Tests.Authorization.Policies.PolicyTestData;

namespace ComIO.ApiService.Tests.Authorization.Policies;

public sealed class PolicyDocumentIsPublicTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { Statement(), true },
        { Statement(principal: "{\"AWS\":\"*\"}"), true },
        { Statement(principal: "{\"AWS\":[\"111122223333\",\"*\"]}"), true },
        { Statement(principalField: "NotPrincipal", principal: "{\"AWS\":\"111122223333\"}"), true },
        { Statement(principal: "{\"AWS\":\"111122223333\"}"), false },
        { Statement(principal: "{\"CanonicalUser\":\"" + new string('a', 64) + "\"}"), false },
        { Statement(effect: "Deny"), false },
        { Statement(condition: """{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"""), false },
        { Statement(condition: """{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","0.0.0.0/0"]}}"""), true },
        { Statement(condition: """{"IpAddress":{"aws:SourceIp":"::/0"}}"""), true },
        { Statement(condition: """{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}"""), true },
        { Statement(condition: """{"IpAddressIfExists":{"aws:SourceIp":"192.0.2.0/24"}}"""), true },
        { Statement(condition: """{"StringEquals":{"aws:SourceAccount":"111122223333"}}"""), false },
        { Statement(condition: """{"StringEquals":{"AWS:SOURCEVPCE":"vpce-1a2b3c4d"}}"""), false },
        { Statement(condition: """{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}"""), false },
        { Statement(condition: """{"StringLike":{"aws:SourceArn":"arn:aws:sns:*"}}"""), true },
        { Statement(condition: """{"StringLike":{"aws:userid":"AIDAEXAMPLE"}}"""), false },
        { Statement(condition: """{"StringLike":{"aws:userid":"AIDA*"}}"""), true },
        { Statement(condition: """{"StringNotEquals":{"aws:SourceAccount":"111122223333"}}"""), true },
        { Statement(condition: """{"StringEquals":{"s3:x-amz-acl":"private"}}"""), true },
        { Statement(condition: """{"StringEquals":{"aws:userid":"${aws:username}"}}"""), true },
        { Statement(condition: """{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}"""), false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void IsPublic_FollowsBlockPublicAccessDefinition(string statement, bool isPublic)
    {
        Assert.Equal(isPublic, BucketPolicy(statement).IsPublic);
    }

    [Fact]
    public void IsPublic_OnePublicStatementAmongPrivateOnes_MakesTheDocumentPublic()
    {
        var policy = BucketPolicy(Statement(principal: "{\"AWS\":\"111122223333\"}"), Statement(action: "\"s3:ListBucket\"", resource: "\"arn:aws:s3:::photos\""));

        Assert.True(policy.IsPublic);
    }
}
