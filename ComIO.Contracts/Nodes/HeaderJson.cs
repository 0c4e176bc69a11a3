using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ComIO.Contracts.Nodes;

/// <summary>Carries a small JSON document in an HTTP header as base64 (headers cannot hold arbitrary UTF-8).</summary>
public static class HeaderJson
{
    public static string Encode<T>(T value, JsonTypeInfo<T> typeInfo) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>Decodes a header value; returns default when it is missing or not valid base64 JSON.</summary>
    public static T? Decode<T>(string? header, JsonTypeInfo<T> typeInfo)
    {
        if (string.IsNullOrEmpty(header))
        {
            return default;
        }

        try
        {
            return JsonSerializer.Deserialize(Convert.FromBase64String(header), typeInfo);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return default;
        }
    }
}
