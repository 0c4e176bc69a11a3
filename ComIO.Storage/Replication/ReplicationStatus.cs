namespace ComIO.Storage;

/// <summary>
/// Replication status of a version (S3 <c>x-amz-replication-status</c>), kept in the version's system metadata under
/// <see cref="MetadataName"/>. The engine sets it in the same commit as the change: <see cref="Pending"/> when the change
/// carries an outbox entry, <see cref="Replica"/> for a replica; a completion report moves Pending to
/// <see cref="Completed"/> or <see cref="Failed"/> and removes the outbox entry in one commit.
/// </summary>
public static class ReplicationStatus
{
    public const string MetadataName = "x-comio-replication-status";

    public const string Pending = "PENDING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";
    public const string Replica = "REPLICA";

    internal static IReadOnlyDictionary<string, string> With(IReadOnlyDictionary<string, string> systemMetadata, string? status)
    {
        if (status is null)
        {
            return systemMetadata;
        }

        var copy = new Dictionary<string, string>(systemMetadata, StringComparer.Ordinal) { [MetadataName] = status };
        return copy;
    }

    /// <summary>The status a new version gets: Replica for a replica, Pending when an outbox entry is committed with it.</summary>
    internal static string? ForNewVersion(bool hasOutboxEntry, ReplicaVersion? replica) =>
        replica is not null ? Replica : hasOutboxEntry ? Pending : null;
}
