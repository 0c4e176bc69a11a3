using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.Contracts.Nodes;

/// <summary>Source-generated JSON for the internal API (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NodeError))]
[JsonSerializable(typeof(ObjectInfo))]
[JsonSerializable(typeof(PutObjectMetadata))]
[JsonSerializable(typeof(BucketInfo))]
[JsonSerializable(typeof(List<BucketInfo>))]
[JsonSerializable(typeof(ObjectListPage))]
[JsonSerializable(typeof(NodeStats))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
