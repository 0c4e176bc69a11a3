using System.Text;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Encryption;

/// <summary>
/// Get/Put/DeleteBucketEncryption: the bucket's default encryption, applied by <see cref="ObjectEncryption.PlanWrite"/>
/// to new objects whose request names no encryption. Objects already stored keep theirs.
/// </summary>
public sealed class BucketEncryptionHandlers(BucketSettingsStore settingsStore, Kms.KmsKeyStore kms)
{
    private const int MaxBodyBytes = 16 * 1024;

    public static readonly S3ErrorCode ConfigurationNotFound = new("ServerSideEncryptionConfigurationNotFoundError", System.Net.HttpStatusCode.NotFound, "The server side encryption configuration was not found");

    public async Task GetAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var stored = settings[BucketSettingNames.Encryption] ?? throw new S3Exception(ConfigurationNotFound);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentType = "application/xml";
        var body = Encoding.UTF8.GetBytes(BucketEncryptionConfiguration.Parse(stored).ToXml());
        request.Response.ContentLength = body.Length;
        await request.Response.Body.WriteAsync(body, request.Aborted);
    }

    public async Task PutAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        var configuration = BucketEncryptionConfiguration.Parse(Encoding.UTF8.GetString(body));
        if (configuration.Algorithm == SseHeaders.KmsDsse)
        {
            // Never accept a default that new objects could not honour (they would fail, or worse, be stored in the clear).
            throw new S3Exception(S3ErrorCode.NotImplemented, $"Default encryption {configuration.Algorithm} is not implemented by ComIO.");
        }

        if (configuration.Algorithm == SseHeaders.Kms && configuration.KmsKeyId is { } keyId)
        {
            var name = Kms.KmsKeyStore.NameOf(keyId);
            if (name is null || (name != Kms.KmsKeyStore.DefaultKeyName && await kms.GetAsync(name, request.Aborted) is null))
            {
                throw new S3Exception(Kms.KmsKeyStore.NotFound, $"Invalid keyId '{keyId}'");
            }
        }

        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Encryption, configuration.ToXml(), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task DeleteAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Encryption, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
