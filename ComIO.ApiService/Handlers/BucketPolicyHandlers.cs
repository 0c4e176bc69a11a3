using System.Text;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Authorization.Policies;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, GetBucketPolicyStatus. The policy is validated on the way in
/// (MalformedPolicy) and returned byte for byte as it was sent. Under BlockPublicPolicy a public policy is refused.
/// </summary>
public sealed class BucketPolicyHandlers(BucketSettingsStore settingsStore, PolicyCache policies)
{
    /// <summary>S3's limit on the size of a bucket policy.</summary>
    public const int MaxPolicyBytes = 20 * 1024;

    public async Task GetAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var policy = settings.Policy ?? throw new S3Exception(S3ErrorCodes.NoSuchBucketPolicy);
        var body = Encoding.UTF8.GetBytes(policy);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentType = "application/json";
        request.Response.ContentLength = body.Length;
        await request.Response.Body.WriteAsync(body, request.Aborted);
    }

    public async Task PutAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxPolicyBytes);
        var json = Encoding.UTF8.GetString(body);
        PolicyDocument document;
        try
        {
            document = policies.Get(json, PolicyKind.Bucket, request.Bucket);
        }
        catch (PolicyFormatException e)
        {
            throw new S3Exception(S3ErrorCodes.MalformedPolicy, e.Message);
        }

        if (settings.PublicAccessBlock.BlockPublicPolicy && document.IsPublic)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Policy, json, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task DeleteAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Policy, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>GetBucketPolicyStatus: whether the bucket's policy makes it public.</summary>
    public async Task GetStatusAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var policy = settings.Policy ?? throw new S3Exception(S3ErrorCodes.NoSuchBucketPolicy);
        var isPublic = policies.Get(policy, PolicyKind.Bucket, request.Bucket).IsPublic;
        await S3Responses.XmlAsync(request, S3Xml.Document("PolicyStatus", xml => xml.Element("IsPublic", isPublic)));
    }
}
