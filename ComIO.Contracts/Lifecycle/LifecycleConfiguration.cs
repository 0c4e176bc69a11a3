namespace ComIO.Contracts.Lifecycle;

/// <summary>A bucket's validated lifecycle configuration (1–1000 rules with unique ids). Immutable.</summary>
public sealed record LifecycleConfiguration(IReadOnlyList<LifecycleRule> Rules)
{
    /// <summary>Most rules one configuration may hold (as AWS).</summary>
    public const int MaxRules = 1000;

    /// <summary>Largest accepted configuration document, in bytes.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    /// <summary>
    /// The earliest expiry of a current version (key, size, tags, created) among the enabled rules that expire current
    /// versions, with the rule's id; null when no rule applies. Serves <c>x-amz-expiration</c> and the scanner.
    /// </summary>
    public (DateTimeOffset Expiry, string RuleId)? CurrentExpiry(string key, long size, IReadOnlyList<KeyValuePair<string, string>> tags, DateTimeOffset created)
    {
        (DateTimeOffset, string)? best = null;
        foreach (var rule in Rules)
        {
            if (!rule.Enabled || !rule.ExpiresCurrentVersions || !rule.Filter.Matches(key, size, tags))
            {
                continue;
            }

            var expiry = rule.CurrentExpiry(created)!.Value;
            if (best is null || expiry < best.Value.Item1)
            {
                best = (expiry, rule.Id);
            }
        }

        return best;
    }
}
