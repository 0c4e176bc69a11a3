using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// Decides how to answer an S3 OPTIONS (preflight) request, in S3's order of checks:
/// no <c>Origin</c> → 400 <c>BadRequest</c> "Insufficient information. Origin request header needed.";
/// no CORS configuration → 403 <c>AccessForbidden</c> "CORSResponse: CORS is not enabled for this bucket." (with
/// <c>ResourceType</c> BUCKET, and <c>Method</c> OPTIONS when none was requested, as recorded from S3);
/// an <c>Access-Control-Request-Method</c> that is missing or not GET PUT POST DELETE HEAD → 400 <c>BadRequest</c>
/// "Invalid Access-Control-Request-Method: X" (X is <c>null</c> when missing; S3's answer here is unrecorded);
/// no matching rule → 403 <c>AccessForbidden</c> "CORSResponse: This CORS request is not allowed. …";
/// otherwise 200 with the matching rule. The 403 errors carry S3's extra <c>Method</c> and <c>ResourceType</c>
/// elements. A preflight does not look up the object. Stateless and thread-safe.
/// </summary>
public static class CorsPreflight
{
    /// <summary>The <c>ResourceType</c> S3 reports for a preflight on an object.</summary>
    public const string ObjectResource = "OBJECT";

    /// <summary>The <c>ResourceType</c> S3 reports for a preflight on a bucket.</summary>
    public const string BucketResource = "BUCKET";

    public const string MissingOriginMessage = "Insufficient information. Origin request header needed.";
    public const string NotEnabledMessage = "CORSResponse: CORS is not enabled for this bucket.";

    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "PUT", "POST", "DELETE", "HEAD" };

    /// <summary>
    /// Evaluates a preflight. <paramref name="configuration"/> is the bucket's CORS configuration, null when it has
    /// none; <paramref name="resourceType"/> is <see cref="ObjectResource"/> or <see cref="BucketResource"/>.
    /// </summary>
    public static CorsPreflightOutcome Evaluate(
        CorsConfiguration? configuration, string? origin, string? requestMethod, string? requestHeaders, string resourceType = ObjectResource)
    {
        if (string.IsNullOrEmpty(origin))
        {
            return Fail(new S3Exception(S3ErrorCodes.BadRequest, MissingOriginMessage));
        }

        if (configuration is null)
        {
            // S3 reports BUCKET here even for an object URL, and OPTIONS when no method was requested.
            return Fail(Forbidden(NotEnabledMessage, requestMethod ?? "OPTIONS", BucketResource));
        }

        if (requestMethod is null || !Methods.Contains(requestMethod))
        {
            return Fail(new S3Exception(S3ErrorCodes.BadRequest, $"Invalid Access-Control-Request-Method: {requestMethod ?? "null"}"));
        }

        var rule = CorsEvaluator.MatchPreflight(configuration, origin, requestMethod, SplitHeaderList(requestHeaders));
        return rule is null
            ? Fail(Forbidden(null, requestMethod, resourceType))
            : new CorsPreflightOutcome(StatusCodes.Status200OK, rule, null, origin, requestMethod, requestHeaders);
    }

    /// <summary>Splits a comma-separated header-name list, trimming white space and dropping empty entries.</summary>
    public static IReadOnlyList<string> SplitHeaderList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static S3Exception Forbidden(string? message, string method, string resourceType) =>
        new(S3ErrorCodes.AccessForbidden, message)
        {
            ExtraElements = [new("Method", method), new("ResourceType", resourceType)],
        };

    private static CorsPreflightOutcome Fail(S3Exception error) =>
        new((int)error.Error.Status, null, error, null, null, null);
}
