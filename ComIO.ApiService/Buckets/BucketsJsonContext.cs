using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.ApiService.Buckets;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BucketOwner))]
public sealed partial class BucketsJsonContext : JsonSerializerContext;
