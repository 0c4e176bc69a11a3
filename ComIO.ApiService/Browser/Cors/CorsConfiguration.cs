namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// A bucket's CORS configuration (PutBucketCors / GetBucketCors): an ordered, immutable list of rules. Rules are
/// evaluated in order and the first that matches a request wins (<see cref="CorsEvaluator"/>). Thread-safe.
/// </summary>
public sealed class CorsConfiguration
{
    /// <summary>AWS's limit on the number of rules in one configuration.</summary>
    public const int MaxRules = 100;

    /// <summary>AWS's limit on the size of the configuration document, in bytes.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    public CorsConfiguration(IEnumerable<CorsRule> rules)
    {
        Rules = [.. rules];
    }

    /// <summary>The rules, in document order.</summary>
    public IReadOnlyList<CorsRule> Rules { get; }
}
