namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// Finds the CORS rule that applies to a request, as S3 evaluates a configuration: rules in document order, the first
/// whose <c>AllowedOrigin</c>, <c>AllowedMethod</c> and (for a preflight) <c>AllowedHeader</c> entries all match wins.
/// Origins match ordinally and may contain one <c>*</c> standing for any run of characters (so <c>*</c> matches every
/// origin); methods match ordinally (S3 accepts only upper-case method names); header names match case-insensitively,
/// with the same wildcard. Stateless and thread-safe.
/// </summary>
public static class CorsEvaluator
{
    /// <summary>
    /// The first rule that allows a preflight from <paramref name="origin"/> for <paramref name="requestMethod"/> with
    /// every header of <paramref name="requestHeaders"/> (each must match some <c>AllowedHeader</c>); null when none.
    /// </summary>
    public static CorsRule? MatchPreflight(CorsConfiguration configuration, string origin, string requestMethod, IReadOnlyList<string> requestHeaders)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(requestHeaders);
        foreach (var rule in configuration.Rules)
        {
            if (MatchingOrigin(rule, origin) is null || !AllowsMethod(rule, requestMethod))
            {
                continue;
            }

            var allHeadersAllowed = true;
            foreach (var header in requestHeaders)
            {
                if (!AllowsHeader(rule, header))
                {
                    allHeadersAllowed = false;
                    break;
                }
            }

            if (allHeadersAllowed)
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>
    /// The first rule that allows an actual (non-preflight) request from <paramref name="origin"/> with
    /// <paramref name="method"/>; null when none (S3 then serves the request without CORS headers). Pass the request's
    /// <c>Access-Control-Request-Method</c> header as <paramref name="method"/> when it has one, else its HTTP method:
    /// S3 matches an actual request on that header when present. Request headers are not checked.
    /// </summary>
    public static CorsRule? MatchActual(CorsConfiguration configuration, string origin, string method)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var rule in configuration.Rules)
        {
            if (MatchingOrigin(rule, origin) is not null && AllowsMethod(rule, method))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>The first of the rule's <c>AllowedOrigin</c> entries that matches <paramref name="origin"/>; null when none does.</summary>
    public static string? MatchingOrigin(CorsRule rule, string origin)
    {
        ArgumentNullException.ThrowIfNull(rule);
        foreach (var allowed in rule.AllowedOrigins)
        {
            if (WildcardMatch(allowed, origin, StringComparison.Ordinal))
            {
                return allowed;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="value"/> matches <paramref name="pattern"/>, where each <c>*</c> in the pattern stands for
    /// any run of characters (including none) and everything else compares with <paramref name="comparison"/>.
    /// </summary>
    public static bool WildcardMatch(string pattern, string value, StringComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        var star = pattern.IndexOf('*');
        if (star < 0)
        {
            return string.Equals(pattern, value, comparison);
        }

        var prefix = pattern.AsSpan(0, star);
        if (!value.AsSpan().StartsWith(prefix, comparison))
        {
            return false;
        }

        // Greedy-free glob: each further literal segment must appear in order, the last one at the very end.
        var rest = value.AsSpan(prefix.Length);
        var segments = pattern.AsSpan(star + 1);
        while (true)
        {
            var next = segments.IndexOf('*');
            if (next < 0)
            {
                return rest.EndsWith(segments, comparison);
            }

            var segment = segments[..next];
            var at = rest.IndexOf(segment, comparison);
            if (at < 0)
            {
                return false;
            }

            rest = rest[(at + segment.Length)..];
            segments = segments[(next + 1)..];
        }
    }

    private static bool AllowsMethod(CorsRule rule, string method)
    {
        foreach (var allowed in rule.AllowedMethods)
        {
            if (string.Equals(allowed, method, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllowsHeader(CorsRule rule, string header)
    {
        foreach (var allowed in rule.AllowedHeaders)
        {
            if (WildcardMatch(allowed, header, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
