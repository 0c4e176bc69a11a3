using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.Cli.Output;

/// <summary>Writes machine-readable JSON (camelCase, indented) to stdout for <c>--json</c>.</summary>
public static class Json
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(object value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, Options));
}
