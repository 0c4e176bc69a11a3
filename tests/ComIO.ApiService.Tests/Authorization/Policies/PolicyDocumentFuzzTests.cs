using ComIO.ApiService.Authorization.Policies;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace ComIO.ApiService.Tests.Authorization.Policies;

/// <summary>Random and mutated input: Parse either returns or throws PolicyFormatException, and what parses also evaluates.</summary>
public sealed class PolicyDocumentFuzzTests
{
    private const string Seed = """
        {"Version":"2012-10-17","Id":"x","Statement":[
          {"Sid":"a","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:user/alice","111122223333"]},
           "Action":["s3:Get*","s3:ListBucket"],"Resource":["arn:aws:s3:::photos","arn:aws:s3:::photos/home/${aws:username}/*"],
           "Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]},"IpAddress":{"aws:SourceIp":["10.0.0.0/8","2001:db8::/32"]},
                        "NumericLessThanEquals":{"s3:max-keys":"100"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"},
                        "ForAllValues:StringEquals":{"s3:RequestObjectTagKeys":["a","b"]},"Null":{"s3:x-amz-acl":"false"},
                        "BoolIfExists":{"aws:SecureTransport":true}}},
          {"Effect":"Deny","NotPrincipal":"*","NotAction":"s3:?etObject*","NotResource":"arn:aws:s3:::photos/${*}${?}${$}"}]}
        """;

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ",", ":", "*", "?", "${", "}", "\\", "\\u0000", "\\uD800", "\uD800", "null", "true", "-1e999",
        "\"Statement\"", "\"Condition\"", "\"Principal\"", "\"*\"", "[]", "{}", "arn:aws:s3:::", "/0", "::", "ForAnyValue:", "IfExists",
    ];

    private static readonly PolicyRequest[] Requests =
    [
        PolicyTestData.GetObject("home/alice/a", PolicyTestData.Alice, ("aws:username", ["alice"]), ("s3:prefix", ["home/alice/"]), ("aws:SourceIp", ["10.1.2.3"])),
        PolicyTestData.Request("s3:ListBucket", PolicyTestData.BucketArn, null, ("s3:max-keys", ["5"]), ("aws:CurrentTime", ["2026-01-01T00:00:00Z"])),
        PolicyTestData.Request("*", "*", PolicyTestData.Mallory, ("aws:SourceIp", ["::1"]), ("s3:RequestObjectTagKeys", ["a", "z"])),
    ];

    [Fact]
    public void Parse_SeedPolicy_IsValid()
    {
        Assert.NotNull(PolicyDocument.Parse(Seed, PolicyKind.Bucket, PolicyTestData.Bucket));
    }

    [Fact]
    public void Parse_EveryPrefixOfAValidPolicy_ReturnsOrThrowsPolicyFormatException()
    {
        for (var length = 0; length <= Seed.Length; length++)
        {
            ParseEvaluateOrReject(Seed[..length]);
        }
    }

    [Property(MaxTest = 1000)]
    public bool Parse_ArbitraryString_ReturnsOrThrowsPolicyFormatException(NonNull<string> text)
    {
        ParseEvaluateOrReject(text.Get);
        ParseEvaluateOrReject("{" + text.Get);
        return true;
    }

    [Property(MaxTest = 3000)]
    public bool Parse_MutatedValidPolicy_ReturnsOrThrowsPolicyFormatException(int seed, PositiveInt mutations)
    {
        var random = new Random(seed);
        var text = Seed;
        for (var i = 0; i < (mutations.Get % 8) + 1; i++)
        {
            text = Mutate(text, random);
        }

        ParseEvaluateOrReject(text);
        return true;
    }

    [Fact]
    public void Parse_MutatedValidPolicy_SomeMutationsStillParse()
    {
        // Guards the property above against only ever exercising the JSON rejection path.
        var random = new Random(42);
        var parsed = 0;
        for (var i = 0; i < 2000; i++)
        {
            parsed += ParseEvaluateOrReject(Mutate(Seed, random)) ? 1 : 0;
        }

        Assert.InRange(parsed, 20, 2000);
    }

    private static string Mutate(string text, Random random)
    {
        var at = random.Next(text.Length + 1);
        switch (random.Next(5))
        {
            case 0:
                return text.Remove(Math.Min(at, text.Length), Math.Min(random.Next(1, 12), text.Length - Math.Min(at, text.Length)));
            case 1:
                return text.Insert(at, Tokens[random.Next(Tokens.Length)]);
            case 2:
                return text.Insert(at, ((char)random.Next(0, 0x10000)).ToString());
            case 3:
                var start = random.Next(text.Length);
                var slice = text.Substring(start, Math.Min(random.Next(1, 40), text.Length - start));
                return text.Insert(at, slice);
            default:
                // Replace one string literal's content by a random token (keeps the JSON valid more often).
                var quote = text.IndexOf('"', Math.Min(at, text.Length - 1));
                var end = quote < 0 ? -1 : text.IndexOf('"', quote + 1);
                return end < 0 ? text : string.Concat(text.AsSpan(0, quote + 1), Tokens[random.Next(Tokens.Length)].Replace("\"", "", StringComparison.Ordinal), text.AsSpan(end));
        }
    }

    /// <summary>Parses as both kinds; anything but success or PolicyFormatException fails the test. Returns whether either parsed.</summary>
    private static bool ParseEvaluateOrReject(string json)
    {
        var parsed = false;
        foreach (var kind in new[] { PolicyKind.Bucket, PolicyKind.Identity })
        {
            PolicyDocument policy;
            try
            {
                policy = PolicyDocument.Parse(json, kind, PolicyTestData.Bucket);
            }
            catch (PolicyFormatException)
            {
                continue;
            }

            parsed = true;
            _ = policy.IsPublic;
            foreach (var request in Requests)
            {
                Assert.True(Enum.IsDefined(PolicyEvaluator.Evaluate(policy, request)));
            }
        }

        return parsed;
    }
}
