using System.Text.Json;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;
using ComIO.Storage;

namespace ComIO.StorageNode.Replication;

/// <summary>The outbox payload of a replicated change is its <see cref="ReplicationIntent"/> as JSON.</summary>
public static class ReplicationPayload
{
    public static byte[]? Encode(ReplicationIntent? intent) =>
        intent is null || intent.Destinations.Count == 0 ? null : JsonSerializer.SerializeToUtf8Bytes(intent, ContractsJsonContext.Default.ReplicationIntent);

    /// <summary>The intent of an outbox entry; null when the payload is not one (the entry cannot be replicated).</summary>
    public static ReplicationIntent? Decode(byte[] payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, ContractsJsonContext.Default.ReplicationIntent);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The engine's view of a replica write (ETag without quotes).</summary>
    public static ReplicaVersion? ToEngine(ReplicaInfo? replica) =>
        replica is null ? null : new ReplicaVersion(replica.VersionId, string.IsNullOrEmpty(replica.ETag) ? null : replica.ETag.Trim('"'));
}
