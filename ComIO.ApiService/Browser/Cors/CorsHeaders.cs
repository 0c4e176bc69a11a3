using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// Writes the CORS response headers S3 sends when a rule matched. Both preflight and actual responses carry
/// <c>Access-Control-Allow-Origin</c> (the request's origin, or <c>*</c> when the rule's matching
/// <c>AllowedOrigin</c> is exactly <c>*</c>), <c>Access-Control-Allow-Methods</c> (all of the rule's methods),
/// <c>Access-Control-Expose-Headers</c> and <c>Access-Control-Max-Age</c> when the rule sets them,
/// <c>Access-Control-Allow-Credentials: true</c> unless the origin answered is <c>*</c>, and
/// <c>Vary: Origin, Access-Control-Request-Headers, Access-Control-Request-Method</c>; a preflight adds
/// <c>Access-Control-Allow-Headers</c> echoing the requested header names, lower-cased, in the order requested. Lists
/// are joined with <c>", "</c>.
/// Existing values of these headers are replaced.
/// </summary>
public static class CorsHeaders
{
    public const string Origin = "Origin";
    public const string RequestMethod = "Access-Control-Request-Method";
    public const string RequestHeaders = "Access-Control-Request-Headers";
    public const string AllowOrigin = "Access-Control-Allow-Origin";
    public const string AllowMethods = "Access-Control-Allow-Methods";
    public const string AllowHeaders = "Access-Control-Allow-Headers";
    public const string ExposeHeaders = "Access-Control-Expose-Headers";
    public const string MaxAge = "Access-Control-Max-Age";
    public const string AllowCredentials = "Access-Control-Allow-Credentials";
    public const string Vary = "Vary";

    /// <summary>The <c>Vary</c> value S3 sends with every CORS response.</summary>
    public const string VaryValue = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

    /// <summary>
    /// Headers for a successful preflight. <paramref name="requestHeaders"/> is the raw
    /// <c>Access-Control-Request-Headers</c> value (null or blank: no <c>Access-Control-Allow-Headers</c>).
    /// <paramref name="requestMethod"/> is not echoed (S3 lists the rule's methods) but is part of the contract so
    /// callers pass what they matched.
    /// </summary>
    public static void WritePreflight(IHeaderDictionary responseHeaders, CorsRule rule, string origin, string requestMethod, string? requestHeaders)
    {
        ArgumentNullException.ThrowIfNull(requestMethod);
        WriteCommon(responseHeaders, rule, origin);
        var requested = CorsPreflight.SplitHeaderList(requestHeaders);
        if (requested.Count > 0)
        {
            responseHeaders[AllowHeaders] = string.Join(", ", requested).ToLowerInvariant();
        }
    }

    /// <summary>Headers for an actual cross-origin request that <paramref name="rule"/> allows.</summary>
    public static void WriteActual(IHeaderDictionary responseHeaders, CorsRule rule, string origin) =>
        WriteCommon(responseHeaders, rule, origin);

    private static void WriteCommon(IHeaderDictionary responseHeaders, CorsRule rule, string origin)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(origin);
        var wildcard = CorsEvaluator.MatchingOrigin(rule, origin) == "*";
        responseHeaders[AllowOrigin] = wildcard ? "*" : origin;
        responseHeaders[AllowMethods] = string.Join(", ", rule.AllowedMethods);
        if (rule.ExposeHeaders.Count > 0)
        {
            responseHeaders[ExposeHeaders] = string.Join(", ", rule.ExposeHeaders);
        }

        if (rule.MaxAgeSeconds is { } maxAge)
        {
            responseHeaders[MaxAge] = maxAge.ToString(CultureInfo.InvariantCulture);
        }

        if (!wildcard)
        {
            responseHeaders[AllowCredentials] = "true";
        }

        responseHeaders[Vary] = new StringValues(VaryValue);
    }
}
