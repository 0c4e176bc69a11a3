using System.Text;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Get/Put/DeleteBucketOwnershipControls and Get/Put/DeletePublicAccessBlock. Switching to BucketOwnerEnforced turns
/// ACLs off for authorization at once (stored ACLs are kept, as S3 does, and apply again if ACLs are re-enabled).
/// </summary>
public sealed class BucketAccessSettingsHandlers(BucketSettingsStore settingsStore)
{
    private const int MaxBodyBytes = 16 * 1024;

    public async Task GetOwnershipControlsAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        if (!settings.HasOwnershipControls)
        {
            throw new S3Exception(S3ErrorCodes.OwnershipControlsNotFoundError);
        }

        await S3Responses.XmlAsync(request, OwnershipControlsXml.Write(settings.Ownership));
    }

    public async Task PutOwnershipControlsAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        var ownership = OwnershipControlsXml.Parse(body);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Ownership, ownership.ToString(), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task DeleteOwnershipControlsAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Ownership, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task GetPublicAccessBlockAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        if (!settings.HasPublicAccessBlock)
        {
            throw new S3Exception(S3ErrorCodes.NoSuchPublicAccessBlockConfiguration);
        }

        await S3Responses.XmlAsync(request, PublicAccessBlockXml.Write(settings.PublicAccessBlock));
    }

    public async Task PutPublicAccessBlockAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        var configuration = PublicAccessBlockXml.Parse(body);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.PublicAccessBlock, Encoding.UTF8.GetString(PublicAccessBlockXml.Write(configuration)), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task DeletePublicAccessBlockAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.PublicAccessBlock, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
