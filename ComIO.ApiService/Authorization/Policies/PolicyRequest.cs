namespace ComIO.ApiService.Authorization.Policies;

/// <summary>One request as a policy sees it.</summary>
/// <param name="Action">The S3 action, for example <c>s3:GetObject</c>; matched case-insensitively.</param>
/// <param name="Resource">The resource ARN, <c>arn:aws:s3:::bucket</c> or <c>arn:aws:s3:::bucket/key</c>; matched case-sensitively.</param>
/// <param name="Principal">The authenticated caller, or <see langword="null"/> for an anonymous request.</param>
/// <param name="ConditionValues">
/// The request context: condition key (for example <c>aws:SourceIp</c>, <c>s3:prefix</c>, <c>aws:username</c>) to its values.
/// Keys are looked up case-insensitively whatever comparer the dictionary uses (an
/// <see cref="StringComparer.OrdinalIgnoreCase"/> dictionary is fastest). A key that is absent or has no values is "missing".
/// Policy variables such as <c>${aws:username}</c> are resolved from here only, and only when the key has exactly one value.
/// </param>
public sealed record PolicyRequest(
    string Action,
    string Resource,
    PolicyPrincipal? Principal,
    IReadOnlyDictionary<string, IReadOnlyList<string>> ConditionValues)
{
    /// <summary>Returns the values of <paramref name="key"/> (case-insensitive), or <see langword="null"/> when the key is missing or empty.</summary>
    internal IReadOnlyList<string>? FindValues(string key)
    {
        if (!ConditionValues.TryGetValue(key, out var values))
        {
            values = null;
            if (ConditionValues is Dictionary<string, IReadOnlyList<string>> dictionary && dictionary.Comparer == StringComparer.OrdinalIgnoreCase)
            {
                return null; // Already looked up case-insensitively; skip the allocating scan.
            }

            foreach (var pair in ConditionValues)
            {
                if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
                {
                    values = pair.Value;
                    break;
                }
            }
        }

        return values is { Count: > 0 } ? values : null;
    }
}
