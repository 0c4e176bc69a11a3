using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace ComIO.ReplicationWorker.S3;

/// <summary>
/// Adds arbitrary HTTP headers to one AWSSDK request so that they are signed. AWSSDK v4 has no header collection on
/// CompleteMultipartUpload or DeleteObject, so the headers are added by a per-request "before request" handler: the SDK
/// raises it after marshalling the request and before its signer runs, and <see cref="WebServiceRequestEventArgs.Headers"/>
/// is the request's own header dictionary, so the SigV4 signer includes them in <c>SignedHeaders</c> (proved by the
/// tests against a recording HTTP listener). A value set here replaces the SDK's for the same name.
/// </summary>
public static class SignedRequestHeaders
{
    public static T With<T>(this T request, IReadOnlyList<KeyValuePair<string, string>> headers) where T : AmazonWebServiceRequest
    {
        if (headers.Count == 0)
        {
            return request;
        }

        ((IAmazonWebServiceRequest)request).AddBeforeRequestHandler((_, e) =>
        {
            if (e is WebServiceRequestEventArgs args)
            {
                foreach (var (name, value) in headers)
                {
                    args.Headers[name] = value;
                }
            }
        });
        return request;
    }
}
