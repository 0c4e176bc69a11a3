using System.Globalization;
using System.Text;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Lifecycle;

namespace ComIO.ApiService.Lifecycle;

/// <summary>
/// Put/Get/DeleteBucketLifecycleConfiguration (<c>?lifecycle</c>). The configuration is validated by
/// <see cref="LifecycleXml"/> and stored, in its canonical form, as the bucket setting <see cref="BucketSettingNames.Lifecycle"/>
/// on every node; each storage node's lifecycle scanner reads it from its own engines and applies it to the keys that
/// node owns. Also computes <c>x-amz-expiration</c> for GET/HEAD. Thread-safe.
/// </summary>
public sealed class LifecycleHandlers(BucketSettingsStore settingsStore)
{
    /// <summary>The response header naming when the object expires and under which rule.</summary>
    public const string ExpirationHeader = "x-amz-expiration";

    /// <summary>GetBucketLifecycleConfiguration: the stored document, or NoSuchLifecycleConfiguration (404).</summary>
    public async Task GetAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var stored = settings[BucketSettingNames.Lifecycle] ?? throw new S3Exception(S3ErrorCodes.NoSuchLifecycleConfiguration);
        await S3Responses.XmlAsync(request, Encoding.UTF8.GetBytes(stored));
    }

    /// <summary>
    /// PutBucketLifecycleConfiguration: requires Content-MD5 or an <c>x-amz-checksum-*</c> header (as AWS), replaces the
    /// whole configuration. MalformedXML / InvalidArgument / InvalidRequest as AWS; transitions are NotImplemented.
    /// </summary>
    public async Task PutAsync(S3Request request)
    {
        await settingsStore.GetAsync(request); // NoSuchBucket before anything else
        var body = await S3Requests.ReadSmallBodyAsync(request, LifecycleConfiguration.MaxDocumentBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        if (!LifecycleXml.TryParse(body, out var configuration, out var error))
        {
            throw new S3Exception(ToS3(error!.Code), error.Message);
        }

        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Lifecycle, Encoding.UTF8.GetString(LifecycleXml.Write(configuration!)), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    /// <summary>DeleteBucketLifecycle: removes the configuration (204 whether or not one existed, as AWS).</summary>
    public async Task DeleteAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Lifecycle, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// The <c>x-amz-expiration</c> value for a current version (key, size, tags, last modified) under the bucket's
    /// configuration — <c>expiry-date="Fri, 23 Dec 2012 00:00:00 GMT", rule-id="…"</c> — or null when no enabled
    /// current-version expiration rule matches (or the stored configuration cannot be read).
    /// </summary>
    public static string? ExpirationValue(BucketSettings settings, string key, long size, IReadOnlyList<KeyValuePair<string, string>> tags, DateTimeOffset lastModified)
    {
        if (settings[BucketSettingNames.Lifecycle] is not { } stored
            || !LifecycleXml.TryParse(Encoding.UTF8.GetBytes(stored), out var configuration, out _)
            || configuration!.CurrentExpiry(key, size, tags, lastModified) is not { } expiry)
        {
            return null;
        }

        var date = expiry.Expiry.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);
        return $"expiry-date=\"{date}\", rule-id=\"{Escape(expiry.RuleId)}\"";
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static S3ErrorCode ToS3(string code) => code switch
    {
        LifecycleError.InvalidArgument => S3ErrorCode.InvalidArgument,
        LifecycleError.InvalidRequest => S3ErrorCode.InvalidRequest,
        LifecycleXml.NotImplemented => S3ErrorCode.NotImplemented,
        _ => S3ErrorCode.MalformedXML,
    };
}
