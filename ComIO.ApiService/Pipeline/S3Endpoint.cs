using System.Diagnostics;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using Microsoft.AspNetCore.Http.Features;

namespace ComIO.ApiService.Pipeline;

/// <summary>
/// The S3 request pipeline: request id, target decoding, SigV4 authentication, routing, and the single place where
/// failures become S3 error responses. Unexpected exceptions are logged and answered with <c>InternalError</c>;
/// no stack trace ever reaches a client.
/// </summary>
public sealed class S3Endpoint(
    S3TargetParser targets,
    RequestAuthenticator authenticator,
    S3Router router,
    CorsHandlers cors,
    Buckets.BucketSettingsStore settingsStore,
    Nodes.ClusterNodes cluster,
    Identity.CredentialResolver credentials,
    ILogger<S3Endpoint> logger)
{
    public static readonly ActivitySource Activities = new("ComIO.ApiService");

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = RequestIdGenerator.Next();
        WriteStandardHeaders(context.Response, requestId);
        var resource = "/";
        try
        {
            var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
            var queryStart = rawTarget.IndexOf('?');
            var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
            var target = targets.Parse(context.Request.Host.Value ?? "", rawPath);
            resource = target.Resource;
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                // CORS preflight: answered from the bucket's rules, without authentication (browsers send no credentials).
                await cors.PreflightAsync(context, target);
                return;
            }

            var identityNode = MayBeHotObjectOperation(context.Request, target) ? cluster.OwnerOf(target.Bucket!, target.Key!) : null;
            var (auth, credential) = await authenticator.AuthenticateAsync(context, requestId, identityNode);
            var request = new S3Request(context, requestId, target, auth);
            if (credential is not null)
            {
                request.UseCredential(credential);
            }

            Activity.Current?.SetTag("s3.bucket", target.Bucket);
            Activity.Current?.SetTag("s3.request_id", requestId);
            try
            {
                await cors.ApplyToActualRequestAsync(request);
                await router.RouteAsync(request);
            }
            catch (Exception e) when (settingsStore.ShouldServeAgain(request, e))
            {
                // Decided with bucket settings that turned out stale, and nothing reached the client or the store:
                // serve it again, reading the settings from the nodes.
                Activity.Current?.AddEvent(new ActivityEvent("bucket settings stale; serving again"));
                if (request.StampedCredential is { Stamp: { } identity } stale)
                {
                    credentials.Forget(identity.NodeId, stale.Principal.AccessKeyId);
                }

                context.Response.Clear();
                WriteStandardHeaders(context.Response, requestId);
                await cors.ApplyToActualRequestAsync(request);
                await router.RouteAsync(request);
            }
        }
        catch (S3Exception e)
        {

            await S3ErrorWriter.WriteAsync(context, e.Error, e.Message, resource, requestId, e.ExtraElements, e.ResponseHeaders);
        }
        catch (Exception e) when (context.RequestAborted.IsCancellationRequested)
        {
            logger.LogDebug(e, "Request {RequestId} aborted by the client", requestId);
        }
        catch (BadHttpRequestException e)
        {
            logger.LogInformation(e, "Malformed request {RequestId}", requestId);
            await S3ErrorWriter.WriteAsync(context, S3ErrorCode.IncompleteBody, null, resource, requestId);
        }
        catch (Buckets.StaleBucketSettingsException)
        {
            // The settings changed again while the request was served a second time: the client retries.
            await S3ErrorWriter.WriteAsync(context, S3ErrorCode.ServiceUnavailable, null, resource, requestId);
        }
        catch (HttpRequestException e)
        {
            logger.LogError(e, "Storage node unreachable serving {RequestId}", requestId);
            await S3ErrorWriter.WriteAsync(context, S3ErrorCode.ServiceUnavailable, null, resource, requestId);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error serving {RequestId}", requestId);
            await S3ErrorWriter.WriteAsync(context, S3ErrorCode.InternalError, null, resource, requestId);
        }
    }

    /// <summary>
    /// Whether the request can be one of the hot object operations that decide with remembered settings and identity
    /// (GET, HEAD, PUT and DELETE of an object without a sub-resource): only then is the caller's identity resolved for
    /// the object's node. Other query parameters than these name sub-resources.
    /// </summary>
    private static bool MayBeHotObjectOperation(HttpRequest http, Protocol.Routing.S3Target target)
    {
        if (!target.HasKey || !(HttpMethods.IsGet(http.Method) || HttpMethods.IsHead(http.Method) || HttpMethods.IsPut(http.Method) || HttpMethods.IsDelete(http.Method)))
        {
            return false;
        }

        foreach (var name in http.Query.Keys)
        {
            if (name is not ("versionId" or "x-id" or "partNumber")
                && !name.StartsWith("response-", StringComparison.Ordinal)
                && !name.StartsWith("X-Amz-", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void WriteStandardHeaders(HttpResponse response, string requestId)
    {
        response.Headers["x-amz-request-id"] = requestId;
        response.Headers["x-amz-id-2"] = requestId;
        response.Headers.Server = "ComIO";
    }
}
