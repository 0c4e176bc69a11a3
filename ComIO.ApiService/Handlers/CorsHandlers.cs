using System.Text;
using ComIO.ApiService.Browser.Cors;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Browser access to buckets: Put/Get/DeleteBucketCors, preflight <c>OPTIONS</c> answered from the bucket's rules (no
/// authentication, as S3), and the CORS headers of actual requests that carry an <c>Origin</c>.
/// </summary>
public sealed class CorsHandlers(BucketSettingsStore settingsStore)
{
    public async Task GetAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var stored = settings[BucketSettingNames.Cors] ?? throw new S3Exception(S3ErrorCodes.NoSuchCORSConfiguration);
        await S3Responses.XmlAsync(request, Encoding.UTF8.GetBytes(stored));
    }

    public async Task PutAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, CorsConfiguration.MaxDocumentBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        var configuration = CorsConfigurationXml.Parse(body);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Cors, Encoding.UTF8.GetString(CorsConfigurationXml.Write(configuration)), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task DeleteAsync(S3Request request)
    {
        await settingsStore.GetAsync(request);
        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.Cors, null, request.Aborted);
        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Answers a preflight for <paramref name="target"/> (a bucket, or an object in it). NoSuchBucket when absent.</summary>
    public async Task PreflightAsync(HttpContext context, S3Target target)
    {
        if (!target.HasBucket)
        {
            throw new S3Exception(S3ErrorCodes.BadRequest, CorsPreflight.MissingOriginMessage);
        }

        var settings = await settingsStore.GetAsync(target.Bucket!, context.RequestAborted);
        var headers = context.Request.Headers;
        var outcome = CorsPreflight.Evaluate(
            Configuration(settings),
            headers.Origin.ToString() is { Length: > 0 } origin ? origin : null,
            headers.AccessControlRequestMethod.ToString() is { Length: > 0 } method ? method : null,
            headers.AccessControlRequestHeaders.ToString() is { Length: > 0 } requested ? requested : null,
            target.HasKey ? CorsPreflight.ObjectResource : CorsPreflight.BucketResource);
        if (outcome.Error is { } error)
        {
            throw error;
        }

        outcome.WriteHeaders(context.Response.Headers);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentLength = 0;
    }

    /// <summary>
    /// For a request with an <c>Origin</c> header on a bucket with a matching CORS rule, arranges for the rule's response
    /// headers to be sent with whatever response (success or error) the request ends with.
    /// </summary>
    public async Task ApplyToActualRequestAsync(S3Request request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || !request.Target.HasBucket)
        {
            return;
        }

        BucketSettings settings;
        try
        {
            settings = await settingsStore.GetAsync(request);
        }
        catch (S3Exception)
        {
            return; // no such bucket: the request itself reports it
        }

        if (Configuration(settings) is not { } configuration)
        {
            return;
        }

        var method = request.Header("Access-Control-Request-Method") ?? request.Http.Request.Method;
        if (CorsEvaluator.MatchActual(configuration, origin, method) is { } rule)
        {
            var response = request.Response;
            response.OnStarting(() =>
            {
                CorsHeaders.WriteActual(response.Headers, rule, origin);
                return Task.CompletedTask;
            });
        }
    }

    private static CorsConfiguration? Configuration(BucketSettings settings) =>
        settings[BucketSettingNames.Cors] is { } stored ? CorsConfigurationXml.Parse(Encoding.UTF8.GetBytes(stored)) : null;
}
