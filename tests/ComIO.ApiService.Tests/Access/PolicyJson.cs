using System.Text.Json;

namespace ComIO.ApiService.Tests.Access;

/// <summary>Builds IAM policy documents for tests (identity policies have no Principal; bucket policies do).</summary>
public static class PolicyJson
{
    public static string Document(params string[] statements) =>
        $$"""{"Version":"2012-10-17","Statement":[{{string.Join(",", statements)}}]}""";

    /// <summary>One statement; <paramref name="condition"/> is a JSON object (e.g. <c>{"StringLike":{"s3:prefix":"a/*"}}</c>).</summary>
    public static string Statement(string effect, string[] actions, string[] resources, string? principal = null, string? condition = null) =>
        "{" + $"\"Effect\":\"{effect}\""
        + (principal is null ? "" : $",\"Principal\":{principal}")
        + $",\"Action\":{JsonSerializer.Serialize(actions)},\"Resource\":{JsonSerializer.Serialize(resources)}"
        + (condition is null ? "" : $",\"Condition\":{condition}")
        + "}";

    /// <summary>Allows everything on the objects of <paramref name="bucket"/> and listing it.</summary>
    public static string AllowBucket(string bucket) => Document(
        Statement("Allow", ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], [$"arn:aws:s3:::{bucket}/*"]),
        Statement("Allow", ["s3:ListBucket"], [$"arn:aws:s3:::{bucket}"]));

    /// <summary>A bucket policy letting anyone read the bucket's objects.</summary>
    public static string PublicRead(string bucket) => Document(
        Statement("Allow", ["s3:GetObject"], [$"arn:aws:s3:::{bucket}/*"], principal: "\"*\""));
}
