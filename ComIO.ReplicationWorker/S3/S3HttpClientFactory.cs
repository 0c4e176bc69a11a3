using System.Net;
using Amazon.Runtime;

namespace ComIO.ReplicationWorker.S3;

/// <summary>
/// The HttpClient behind the worker's AWSSDK clients: a plain <see cref="SocketsHttpHandler"/> (so .NET's diagnostics
/// handler propagates <c>traceparent</c> and records HTTP metrics) with a bounded connect time, so a destination whose
/// packets are dropped fails an attempt in seconds instead of holding an entry for the OS connect timeout; no automatic
/// decompression (object bytes are copied as stored) and no redirects. One client per SDK client configuration.
/// </summary>
public sealed class S3HttpClientFactory(TimeSpan connectTimeout, TimeSpan requestTimeout) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new SocketsHttpHandler
        {
            ConnectTimeout = connectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        })
        {
            Timeout = requestTimeout,
        };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => true;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    public override string GetConfigUniqueString(IClientConfig clientConfig) => $"comio-replication|{clientConfig.ServiceURL}";
}
