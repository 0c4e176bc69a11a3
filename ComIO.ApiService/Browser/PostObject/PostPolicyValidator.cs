using System.Globalization;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// Checks a browser-upload form against its POST policy as S3 does. All failures are 403 <c>AccessDenied</c>:
/// "Invalid according to Policy: Policy expired." once <c>now</c> is past the expiration;
/// "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\", \"x\"]" for the first condition (in policy
/// order) that the form does not satisfy (a missing field fails every condition on it, even <c>starts-with ""</c>);
/// "Invalid according to Policy: Extra input fields: name" for the first form field that no condition names. Field
/// names compare case-insensitively, values ordinally. <c>starts-with</c> is honoured only on the fields AWS lists
/// for it (<c>key</c>, <c>acl</c>, <c>success_action_redirect</c>, <c>redirect</c>, the REST headers such as
/// <c>Content-Type</c> and <c>Cache-Control</c>, <c>x-amz-meta-*</c>); on exact-match-only fields (<c>bucket</c>,
/// <c>success_action_status</c>, <c>x-amz-algorithm</c>, <c>x-amz-credential</c>, <c>x-amz-date</c>,
/// <c>x-amz-security-token</c>, other <c>x-amz-*</c>) it fails. For <c>Content-Type</c>, a comma-separated value
/// satisfies <c>starts-with</c> only if every entry does. Stateless and thread-safe.
/// </summary>
public static class PostPolicyValidator
{
    private const string Prefix = "Invalid according to Policy: ";

    /// <summary>
    /// Validates <paramref name="fields"/> (every text form field before the file, plus <c>bucket</c> added by the
    /// caller with the request's bucket, and <c>key</c> after <c>${filename}</c> substitution) against
    /// <paramref name="policy"/>. The file's size is checked separately with <see cref="ValidateContentLength"/>.
    /// </summary>
    public static void Validate(PostPolicy policy, IReadOnlyDictionary<string, string> fields, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(fields);
        if (now > policy.Expiration)
        {
            throw Denied("Policy expired.");
        }

        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            byName.TryAdd(name, value);
        }

        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var condition in policy.Conditions)
        {
            if (condition.Operator == PostPolicyOperator.ContentLengthRange)
            {
                continue;
            }

            if (!Holds(condition, byName))
            {
                throw Denied("Policy Condition failed: " + condition.Text);
            }

            covered.Add(condition.Field);
        }

        foreach (var name in byName.Keys)
        {
            if (!IsExempt(name) && !covered.Contains(name))
            {
                throw Denied("Extra input fields: " + name.ToLowerInvariant());
            }
        }
    }

    /// <summary>
    /// Checks the uploaded file's size against the policy's <c>content-length-range</c> (no range: any size):
    /// above it is 400 <c>EntityTooLarge</c> with <c>ProposedSize</c> and <c>MaxSizeAllowed</c>, below it 400
    /// <c>EntityTooSmall</c> with <c>ProposedSize</c> and <c>MinSizeAllowed</c>. While streaming, call it with the
    /// running count to fail as soon as the maximum is passed, and once more with the final size.
    /// </summary>
    public static void ValidateContentLength(PostPolicy policy, long length)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.ContentLengthRange is not { } range)
        {
            return;
        }

        if (length > range.Max)
        {
            throw new S3Exception(S3ErrorCode.EntityTooLarge, "Your proposed upload exceeds the maximum allowed size")
            {
                ExtraElements =
                [
                    new("ProposedSize", length.ToString(CultureInfo.InvariantCulture)),
                    new("MaxSizeAllowed", range.Max.ToString(CultureInfo.InvariantCulture)),
                ],
            };
        }

        if (length < range.Min)
        {
            throw new S3Exception(S3ErrorCode.EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size")
            {
                ExtraElements =
                [
                    new("ProposedSize", length.ToString(CultureInfo.InvariantCulture)),
                    new("MinSizeAllowed", range.Min.ToString(CultureInfo.InvariantCulture)),
                ],
            };
        }
    }

    /// <summary>Form fields that need no condition: <c>x-amz-signature</c>, <c>file</c>, <c>policy</c> and <c>x-ignore-*</c>.</summary>
    public static bool IsExempt(string fieldName) =>
        fieldName.Equals("x-amz-signature", StringComparison.OrdinalIgnoreCase)
        || fieldName.Equals("file", StringComparison.OrdinalIgnoreCase)
        || fieldName.Equals("policy", StringComparison.OrdinalIgnoreCase)
        || fieldName.StartsWith("x-ignore-", StringComparison.OrdinalIgnoreCase);

    private static bool Holds(PostPolicyCondition condition, Dictionary<string, string> fields)
    {
        if (condition.Operator == PostPolicyOperator.Unsupported || !fields.TryGetValue(condition.Field, out var value))
        {
            return false;
        }

        if (condition.Operator == PostPolicyOperator.Eq)
        {
            return string.Equals(value, condition.Value, StringComparison.Ordinal);
        }

        if (!AllowsStartsWith(condition.Field))
        {
            return false;
        }

        if (condition.Field.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var entry in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!entry.StartsWith(condition.Value, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        return value.StartsWith(condition.Value, StringComparison.Ordinal);
    }

    private static bool AllowsStartsWith(string field)
    {
        if (field.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
        {
            return field.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase);
        }

        return !field.Equals("bucket", StringComparison.OrdinalIgnoreCase)
            && !field.Equals("success_action_status", StringComparison.OrdinalIgnoreCase);
    }

    private static S3Exception Denied(string detail) => new(S3ErrorCode.AccessDenied, Prefix + detail);
}
