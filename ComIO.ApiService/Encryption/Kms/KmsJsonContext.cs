using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.ApiService.Encryption.Kms;

/// <summary>Source-generated JSON for KMS key documents and the admin API's KMS views.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(KmsKeyDocument))]
[JsonSerializable(typeof(KmsKeyView))]
[JsonSerializable(typeof(List<KmsKeyView>))]
[JsonSerializable(typeof(CreateKmsKeyRequest))]
public sealed partial class KmsJsonContext : JsonSerializerContext;
