using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.Contracts.Nodes;

/// <summary>Source-generated JSON for the internal API (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeError))]
[JsonSerializable(typeof(ObjectInfo))]
[JsonSerializable(typeof(PutObjectMetadata))]
[JsonSerializable(typeof(ComIO.Contracts.Replication.ReplicationCompletionBatch))]
[JsonSerializable(typeof(ComIO.Contracts.Replication.ReplicationCompletionResults))]
[JsonSerializable(typeof(ComIO.Contracts.Replication.ReplicationIntent))]
[JsonSerializable(typeof(ComIO.Contracts.Replication.ReplicaInfo))]
[JsonSerializable(typeof(ComIO.Contracts.Replication.ResyncRequest))]
[JsonSerializable(typeof(ComIO.Contracts.Replication.ResyncResult))]
[JsonSerializable(typeof(List<ComIO.Contracts.Replication.ReplicationDestination>))]
[JsonSerializable(typeof(BucketInfo))]
[JsonSerializable(typeof(List<BucketInfo>))]
[JsonSerializable(typeof(NodeStats))]
[JsonSerializable(typeof(ScrubSummary))]
[JsonSerializable(typeof(LifecycleRunSummary))]
[JsonSerializable(typeof(MultipartUploadInfo))]
[JsonSerializable(typeof(PartInfo))]
[JsonSerializable(typeof(CompleteMultipartRequest))]
[JsonSerializable(typeof(PartListPage))]
[JsonSerializable(typeof(UploadListPage))]
[JsonSerializable(typeof(PutObjectTagsRequest))]
[JsonSerializable(typeof(DeleteObjectOutcome))]
[JsonSerializable(typeof(ObjectLockChange))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
