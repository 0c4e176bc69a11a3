using Amazon.Runtime;
using Amazon.S3;
using ComIO.ReplicationWorker.Configuration;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.S3;

/// <summary>
/// Creates the S3 clients of the worker (the source site and each destination): path-style, SigV4 with the configured
/// credentials and region, checksums only where S3 requires them (so a streamed PUT uses
/// <c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD</c> aws-chunked signing, which every S3 server accepts), and the SDK's own
/// retries off (the worker retries whole entries with its backoff; a streamed body cannot be replayed anyway). The SDK
/// sends through the <see cref="HttpClient"/> of <see cref="S3HttpClientFactory"/>, whose diagnostics handler carries
/// the current trace context (<c>traceparent</c>) to the destination.
/// </summary>
public sealed class S3ClientFactory(IOptions<ReplicationWorkerOptions> options)
{
    /// <summary>Time to establish a connection to a site before the attempt fails.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Time for one whole request, body included (a single PUT is at most MultipartThreshold, a part PartSize).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(10);

    public AmazonS3Client Create(Uri endpoint)
    {
        var settings = options.Value;
        var config = new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = settings.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
            Timeout = RequestTimeout,
            HttpClientFactory = new S3HttpClientFactory(ConnectTimeout, RequestTimeout),
        };
        return new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }
}
