namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// One parsed POST policy condition. <see cref="Field"/> is the form field name without the leading <c>$</c>
/// (compared case-insensitively, as S3 treats form field names); <see cref="Value"/> is the exact value or prefix;
/// <see cref="Min"/> and <see cref="Max"/> are set only for <see cref="PostPolicyOperator.ContentLengthRange"/>.
/// <see cref="Text"/> is the condition as S3 quotes it in "Policy Condition failed: …" errors, e.g.
/// <c>["eq", "$key", "photos/a.jpg"]</c> (exact-match objects are quoted in their <c>eq</c> form). Immutable.
/// </summary>
public sealed record PostPolicyCondition(PostPolicyOperator Operator, string Field, string Value, long Min, long Max, string Text);
