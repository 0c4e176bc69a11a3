namespace ComIO.Contracts.Replication;

/// <summary>
/// The site's replication stream in Redis and the fields of its entries. Storage nodes append one entry per outbox entry
/// (XADD); the site's replication workers read them with the consumer group <see cref="ConsumerGroup"/>. Every field is a
/// string. An entry may be delivered more than once (a node re-publishes entries still pending after a while, a worker
/// re-reads what a dead worker left), so applying one must be idempotent.
/// </summary>
public static class ReplicationStream
{
    public const string ConsumerGroup = "replication-workers";

    /// <summary>The stream a site's nodes publish to.</summary>
    public static string Name(string site) => $"comio:replication:{site}";

    /// <summary>Entries given up after the retry limit (original fields plus <see cref="Error"/>, <see cref="Attempts"/>, <see cref="FailedAt"/>).</summary>
    public static string DeadLetterName(string site) => $"comio:replication:{site}:dead-letter";

    /// <summary>Storage node id (its service name: <c>http://{node}</c> resolves through service discovery).</summary>
    public const string Node = "node";

    /// <summary>Index of the node's device (engine) that holds the outbox entry.</summary>
    public const string Device = "device";

    /// <summary>Outbox sequence on that device.</summary>
    public const string Sequence = "seq";

    /// <summary><see cref="OperationPut"/> or <see cref="OperationDeleteMarker"/>.</summary>
    public const string Operation = "op";

    public const string OperationPut = "put";
    public const string OperationDeleteMarker = "delete-marker";

    public const string Bucket = "bucket";
    public const string Key = "key";
    public const string VersionId = "versionId";

    /// <summary>ETag of the version written (put only), quoted as S3 returns it.</summary>
    public const string ETag = "etag";

    /// <summary>JSON array of <see cref="ReplicationDestination"/>.</summary>
    public const string Destinations = "destinations";

    /// <summary>W3C trace context of the request that made the change (optional).</summary>
    public const string TraceParent = "traceparent";

    public const string TraceState = "tracestate";

    /// <summary>When the change was committed (ISO 8601, UTC): the lag metric's origin.</summary>
    public const string CreatedAt = "created";

    public const string Error = "error";
    public const string Attempts = "attempts";
    public const string FailedAt = "failedAt";
}
