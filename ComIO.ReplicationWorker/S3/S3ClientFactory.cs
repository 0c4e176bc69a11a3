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
/// sends through <see cref="HttpClient"/>, whose diagnostics handler carries the current trace context
/// (<c>traceparent</c>) to the destination.
/// </summary>
public sealed class S3ClientFactory(IOptions<ReplicationWorkerOptions> options)
{
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
            Timeout = TimeSpan.FromMinutes(10),
        };
        return new AmazonS3Client(new BasicAWSCredentials(settings.AccessKey, settings.SecretKey), config);
    }
}
