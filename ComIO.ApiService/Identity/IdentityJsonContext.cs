using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.ApiService.Identity;

/// <summary>Source-generated JSON for identity documents (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(UserDocument))]
[JsonSerializable(typeof(AccessKeyDocument))]
public sealed partial class IdentityJsonContext : JsonSerializerContext;
