using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.ApiService.Admin;

/// <summary>Source-generated JSON for the admin API (camelCase, enums as strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(UserView))]
[JsonSerializable(typeof(List<UserView>))]
[JsonSerializable(typeof(AccessKeyView))]
[JsonSerializable(typeof(List<AccessKeyView>))]
[JsonSerializable(typeof(NewAccessKeyView))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(StatusRequest))]
[JsonSerializable(typeof(ClusterStatusView))]
[JsonSerializable(typeof(ReplicationStatusView))]
[JsonSerializable(typeof(ResyncRequestBody))]
[JsonSerializable(typeof(ResyncView))]
[JsonSerializable(typeof(AdminError))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
