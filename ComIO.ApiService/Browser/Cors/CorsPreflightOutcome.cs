using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Browser.Cors;

/// <summary>
/// What to answer an OPTIONS preflight with: either 200 with the headers of <see cref="Rule"/>
/// (<see cref="Error"/> null; write them with <see cref="WriteHeaders"/>), or the S3 error in <see cref="Error"/>
/// (<see cref="Rule"/> null) whose status is <see cref="StatusCode"/>. Immutable.
/// </summary>
public sealed record CorsPreflightOutcome(int StatusCode, CorsRule? Rule, S3Exception? Error, string? Origin, string? RequestMethod, string? RequestHeaders)
{
    /// <summary>True when the preflight is allowed.</summary>
    public bool Allowed => Error is null;

    /// <summary>Writes the preflight headers of an allowed outcome; throws when the outcome is an error.</summary>
    public void WriteHeaders(IHeaderDictionary responseHeaders)
    {
        if (Rule is null || Origin is null || RequestMethod is null)
        {
            throw new InvalidOperationException("Only an allowed preflight has CORS headers.");
        }

        CorsHeaders.WritePreflight(responseHeaders, Rule, Origin, RequestMethod, RequestHeaders);
    }
}
