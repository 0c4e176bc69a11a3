using ComIO.ApiService.Identity;

namespace ComIO.ApiService.Audit;

/// <summary>
/// Structured audit events (logger category <c>ComIO.Audit</c>): authentication failures and admin changes. Events name
/// the access key id, never a secret or a signature.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("ComIO.Audit");

    public void AuthenticationFailed(string? accessKeyId, string errorCode, string? remoteAddress, string requestId) =>
        LogAuthenticationFailed(accessKeyId ?? "(none)", errorCode, remoteAddress ?? "unknown", requestId);

    public void AccessDenied(Principal? principal, string action, string resource, string requestId) =>
        LogAccessDenied(principal?.Arn ?? "anonymous", action, resource, requestId);

    public void AdminChange(Principal actor, string change, string target) => LogAdminChange(actor.Arn, actor.AccessKeyId, change, target);

    [LoggerMessage(EventId = 4001, EventName = "AuthenticationFailed", Level = LogLevel.Warning,
        Message = "Authentication failed for access key {AccessKeyId}: {ErrorCode} from {RemoteAddress} (request {RequestId})")]
    private partial void LogAuthenticationFailed(string accessKeyId, string errorCode, string remoteAddress, string requestId);

    [LoggerMessage(EventId = 4002, EventName = "AccessDenied", Level = LogLevel.Information,
        Message = "Access denied to {Principal} for {Action} on {Resource} (request {RequestId})")]
    private partial void LogAccessDenied(string principal, string action, string resource, string requestId);

    [LoggerMessage(EventId = 4003, EventName = "AdminChange", Level = LogLevel.Information,
        Message = "Admin change by {Actor} ({AccessKeyId}): {Change} {Target}")]
    private partial void LogAdminChange(string actor, string accessKeyId, string change, string target);
}
