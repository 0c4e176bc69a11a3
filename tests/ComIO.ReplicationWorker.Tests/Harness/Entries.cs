using ComIO.Contracts.Replication;
using StackExchange.Redis;

namespace ComIO.ReplicationWorker.Tests.Harness;

/// <summary>Stream entries as a storage node publishes them.</summary>
public static class Entries
{
    public static NameValueEntry[] Put(string key = "dir/object.bin", string versionId = "v1", long sequence = 7,
        string destinations = """[{"site":"west","bucket":"photos-west"}]""") =>
    [
        new(ReplicationStream.Node, "east-node1"),
        new(ReplicationStream.Device, "0"),
        new(ReplicationStream.Sequence, sequence),
        new(ReplicationStream.Operation, ReplicationStream.OperationPut),
        new(ReplicationStream.Bucket, "photos"),
        new(ReplicationStream.Key, key),
        new(ReplicationStream.VersionId, versionId),
        new(ReplicationStream.ETag, "\"0123456789abcdef0123456789abcdef\""),
        new(ReplicationStream.Destinations, destinations),
        new(ReplicationStream.TraceParent, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        new(ReplicationStream.CreatedAt, "2026-11-26T14:00:00.000Z"),
    ];

    public static List<KeyValuePair<string, string>> AsFields(NameValueEntry[] entry) =>
        entry.Select(e => new KeyValuePair<string, string>(e.Name.ToString(), e.Value.ToString())).ToList();
}
