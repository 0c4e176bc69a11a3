using ComIO.Contracts.Replication;

namespace ComIO.ReplicationWorker.Configuration;

/// <summary>
/// Replication worker settings (section <c>Replication</c>, environment <c>Replication__…</c>), read by
/// <see cref="ReplicationWorkerOptionsReader"/> and checked by <see cref="ReplicationWorkerOptionsValidator"/> at start-up.
/// The same <see cref="AccessKey"/>/<see cref="SecretKey"/> sign requests to the local site and to every destination.
/// </summary>
public sealed class ReplicationWorkerOptions
{
    public const string SectionName = "Replication";

    /// <summary>The local site's S3 endpoint, where source versions are read.</summary>
    public Uri? SourceEndpoint { get; set; }

    public string? AccessKey { get; set; }

    /// <summary>Never logged.</summary>
    public string? SecretKey { get; set; }

    /// <summary>SigV4 signing region of every site.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Destination sites by name (the names stream entries use in <c>destinations</c>).</summary>
    public Dictionary<string, SiteEndpointOptions> Sites { get; } = new(StringComparer.Ordinal);

    /// <summary>Consumer group shared by all workers of a site.</summary>
    public string ConsumerGroup { get; set; } = ReplicationStream.ConsumerGroup;

    /// <summary>Stream entries processed at the same time by one worker.</summary>
    public int Concurrency { get; set; } = 8;

    /// <summary>Attempts per entry (counting earlier deliveries) before it may go to the dead-letter stream.</summary>
    public int MaxAttempts { get; set; } = 12;

    /// <summary>Backoff cap of the first retry; doubles per attempt up to <see cref="MaxBackoff"/> (full jitter).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// An entry is dead-lettered only once it is also at least this old (since it entered the stream), so a
    /// destination that is down for a few minutes never dead-letters, however the jitter falls.
    /// </summary>
    public TimeSpan MinRetryTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Entries pending this long without progress (their worker died) are claimed by another worker.</summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Objects larger than this are copied with a multipart upload.</summary>
    public long MultipartThreshold { get; set; } = 64L * 1024 * 1024;

    /// <summary>Part size of multipart copies (raised when an object would need more than 10,000 parts).</summary>
    public long PartSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>Parts of one object copied at the same time.</summary>
    public int PartConcurrency { get; set; } = 4;
}
