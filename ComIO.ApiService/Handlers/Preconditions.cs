using System.Globalization;
using ComIO.ApiService.Pipeline;

namespace ComIO.ApiService.Handlers;

public enum PreconditionOutcome
{
    Proceed,
    PreconditionFailed,
    NotModified,
}

/// <summary>
/// Evaluates If-Match / If-None-Match / If-Modified-Since / If-Unmodified-Since (or their x-amz-copy-source-
/// forms) against an object, with S3's precedence: a true If-Match overrides a false If-Unmodified-Since, and a
/// false If-None-Match overrides a true If-Modified-Since.
/// </summary>
public static class Preconditions
{
    public static PreconditionOutcome Evaluate(S3Request request, string etag, DateTimeOffset lastModified, string headerPrefix = "") =>
        Evaluate(request, etag, lastModified, headerPrefix, out _);

    /// <param name="failedCondition">
    /// For an outcome other than <see cref="PreconditionOutcome.Proceed"/>, the header that decided it without its prefix
    /// (<c>If-Match</c>, <c>If-Unmodified-Since</c>, <c>If-None-Match</c>, <c>If-Modified-Since</c>), as S3 names it in
    /// the error's <c>Condition</c> element; otherwise null.
    /// </param>
    public static PreconditionOutcome Evaluate(S3Request request, string etag, DateTimeOffset lastModified, string headerPrefix, out string? failedCondition)
    {
        failedCondition = null;
        var ifMatch = request.Header(headerPrefix + "If-Match");
        var ifNoneMatch = request.Header(headerPrefix + "If-None-Match");
        var ifModifiedSince = ParseDate(request.Header(headerPrefix + "If-Modified-Since"));
        var ifUnmodifiedSince = ParseDate(request.Header(headerPrefix + "If-Unmodified-Since"));
        var modified = TruncateToSeconds(lastModified);

        if (ifMatch is not null)
        {
            if (!EtagListMatches(ifMatch, etag))
            {
                failedCondition = "If-Match";
                return PreconditionOutcome.PreconditionFailed;
            }
        }
        else if (ifUnmodifiedSince is { } unmodifiedSince && modified > unmodifiedSince)
        {
            failedCondition = "If-Unmodified-Since";
            return PreconditionOutcome.PreconditionFailed;
        }

        if (ifNoneMatch is not null)
        {
            if (EtagListMatches(ifNoneMatch, etag))
            {
                failedCondition = "If-None-Match";
                return headerPrefix.Length == 0 ? PreconditionOutcome.NotModified : PreconditionOutcome.PreconditionFailed;
            }
        }
        else if (ifModifiedSince is { } modifiedSince && modified <= modifiedSince)
        {
            failedCondition = "If-Modified-Since";
            return headerPrefix.Length == 0 ? PreconditionOutcome.NotModified : PreconditionOutcome.PreconditionFailed;
        }

        return PreconditionOutcome.Proceed;
    }

    /// <summary>True when the comma-separated list of entity tags contains <c>*</c> or the object's ETag (quotes optional).</summary>
    public static bool EtagListMatches(string list, string etag)
    {
        var bare = etag.Trim('"');
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = item.StartsWith("W/", StringComparison.Ordinal) ? item[2..] : item;
            if (candidate == "*" || candidate.Trim('"') == bare)
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset? ParseDate(string? value) =>
        value is not null && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? TruncateToSeconds(date)
            : null;

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
