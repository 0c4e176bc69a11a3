using ComIO.ApiService.Buckets;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Replication;

/// <summary>
/// Put/Get/DeleteBucketReplication (<c>?replication</c>). The configuration is stored, in canonical form, as the bucket
/// setting <see cref="BucketSettingNames.Replication"/> on every node; writes consult it through
/// <see cref="ReplicationPlanner"/>. As AWS: the bucket must have versioning Enabled, and GET without one answers
/// ReplicationConfigurationNotFoundError.
/// </summary>
public sealed class ReplicationHandlers(BucketSettingsStore settingsStore, IOptions<ReplicationOptions> options)
{
    /// <summary>Largest configuration document accepted (1,000 rules fit).</summary>
    private const int MaxDocumentBytes = 2 * 1024 * 1024;

    public async Task GetAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var stored = settings[BucketSettingNames.Replication] ?? throw new S3Exception(S3ErrorCodes.ReplicationConfigurationNotFoundError);
        await S3Responses.XmlAsync(request, System.Text.Encoding.UTF8.GetBytes(stored));
    }

    public async Task PutAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxDocumentBytes);
        var configuration = ReplicationConfigurationXml.Parse(body, options.Value.Sites.Keys);
        if (settings.Versioning != "Enabled")
        {
            throw new S3Exception(S3ErrorCode.InvalidRequest, "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
        }

        var document = System.Text.Encoding.UTF8.GetString(ReplicationConfigurationXml.Write(configuration));
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Replication, document, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    /// <summary>DeleteBucketReplication: 204 whether or not a configuration existed.</summary>
    public async Task DeleteAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Replication, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
