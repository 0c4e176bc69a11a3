using ComIO.ApiService.Authorization.Policies;

namespace ComIO.ApiService.Tests.Authorization.Policies;

/// <summary>Principals, requests and policy builders shared by the policy tests.</summary>
internal static class PolicyTestData
{
    public const string Bucket = "photos";
    public const string BucketArn = "arn:aws:s3:::photos";

    public static readonly PolicyPrincipal Alice = new("arn:aws:iam::111122223333:user/alice", new string('a', 64), "alice", "111122223333");
    public static readonly PolicyPrincipal Bob = new("arn:aws:iam::111122223333:user/bob", new string('b', 64), "bob", "111122223333");
    public static readonly PolicyPrincipal Mallory = new("arn:aws:iam::444455556666:user/mallory", new string('c', 64), "mallory", "444455556666");

    public static PolicyRequest Request(string action, string resource, PolicyPrincipal? principal = null, params (string Key, string[] Values)[] context)
    {
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, keyValues) in context)
        {
            values[key] = keyValues;
        }

        return new PolicyRequest(action, resource, principal, values);
    }

    /// <summary>A GetObject request for <c>photos/&lt;key&gt;</c> by <paramref name="principal"/> with the given context.</summary>
    public static PolicyRequest GetObject(string key, PolicyPrincipal? principal = null, params (string Key, string[] Values)[] context)
        => Request("s3:GetObject", BucketArn + "/" + key, principal, context);

    /// <summary>One statement as JSON; every argument is raw JSON.</summary>
    public static string Statement(
        string effect = "Allow",
        string principal = "\"*\"",
        string action = "\"s3:GetObject\"",
        string resource = "\"arn:aws:s3:::photos/*\"",
        string? condition = null,
        string principalField = "Principal",
        string actionField = "Action",
        string resourceField = "Resource")
    {
        var json = $"{{\"Effect\":\"{effect}\",\"{principalField}\":{principal},\"{actionField}\":{action},\"{resourceField}\":{resource}";
        if (condition is not null)
        {
            json += ",\"Condition\":" + condition;
        }

        return json + "}";
    }

    /// <summary>A 2012-10-17 bucket policy for <see cref="Bucket"/> with the given statements.</summary>
    public static PolicyDocument BucketPolicy(params string[] statements)
        => PolicyDocument.Parse($"{{\"Version\":\"2012-10-17\",\"Statement\":[{string.Join(',', statements)}]}}", PolicyKind.Bucket, Bucket);

    /// <summary>A bucket policy with one Allow-to-everyone GetObject statement carrying <paramref name="condition"/>.</summary>
    public static PolicyDocument WithCondition(string condition) => BucketPolicy(Statement(condition: condition));
}
