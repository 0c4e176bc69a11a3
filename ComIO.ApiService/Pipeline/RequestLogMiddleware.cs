namespace ComIO.ApiService.Pipeline;

/// <summary>
/// Logs each request line (category <c>ComIO.ApiService.Requests</c>, Debug) with the credentials of presigned URLs
/// redacted (<c>X-Amz-Signature</c>, <c>X-Amz-Credential</c>, <c>X-Amz-Security-Token</c>). ASP.NET Core's own request
/// lines (<c>Microsoft.AspNetCore.Hosting.Diagnostics</c>) print the raw query, so the API service turns them off.
/// </summary>
public sealed partial class RequestLogMiddleware(RequestDelegate next, ILoggerFactory loggers)
{
    public const string Category = "ComIO.ApiService.Requests";

    private static readonly string[] SecretParameters = ["X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"];
    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public Task InvokeAsync(HttpContext context)
    {
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogRequest(context.Request.Method, context.Request.PathBase + context.Request.Path, Redact(context.Request.QueryString.Value));
        }

        return next(context);
    }

    /// <summary>The query string with the values of credential parameters replaced by <c>REDACTED</c>.</summary>
    public static string Redact(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return "";
        }

        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Split('=', 2)[0];
            if (SecretParameters.Any(secret => string.Equals(Uri.UnescapeDataString(name), secret, StringComparison.OrdinalIgnoreCase)))
            {
                parts[i] = name + "=REDACTED";
            }
        }

        return "?" + string.Join('&', parts);
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Request {Method} {Path}{Query}")]
    private partial void LogRequest(string method, string path, string query);
}
