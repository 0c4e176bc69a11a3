using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Xunit;

namespace ComIO.ApiService.Tests.Authentication;

/// <summary>
/// Gives the AWS SDK an HttpClient whose handler records each request (as it would go on the wire) and answers 200
/// without any network, so an https:// endpoint can be "used" and the SDK's TLS-only behaviour observed.
/// </summary>
internal sealed class CapturingHttpClientFactory : HttpClientFactory
{
    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new CapturingHandler(Requests));

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => true;

    private sealed class CapturingHandler(ConcurrentQueue<CapturedRequest> requests) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var headers = new List<KeyValuePair<string, string[]>>();
            if (request.Headers.Host is null)
            {
                headers.Add(new("Host", [uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}"]));
            }

            foreach (var (name, values) in request.Headers)
            {
                headers.Add(new(name, values.ToArray()));
            }

            var body = Array.Empty<byte>();
            if (request.Content is not null)
            {
                body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                foreach (var (name, values) in request.Content.Headers)
                {
                    headers.Add(new(name, values.ToArray()));
                }
            }

            requests.Enqueue(new CapturedRequest(request.Method.Method, uri.PathAndQuery, headers, body));
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]), RequestMessage = request };
            response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"5d41402abc4b2a76b9719d911017c592\"");
            response.Headers.Add("x-amz-request-id", "TEST");
            return response;
        }
    }
}
