using System.Globalization;
using System.Text.Json;

namespace ComIO.Cli.Output;

/// <summary>Reads values out of server JSON for human output and re-prints server JSON indented for <c>--json</c>.</summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes <paramref name="element"/> to stdout, indented.</summary>
    public static void Print(JsonElement element) => Console.Out.WriteLine(JsonSerializer.Serialize(element, Indented));

    /// <summary>A property as display text: strings as-is, numbers and booleans invariant, arrays comma-joined, missing as "".</summary>
    public static string Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return "";
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? "",
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())),
            JsonValueKind.Null => "",
            _ => value.GetRawText(),
        };
    }

    /// <summary>A numeric property, or 0 when missing or not a number.</summary>
    public static long Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n : 0;

    /// <summary>A boolean property, or false when missing.</summary>
    public static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A date-time property shown as <c>yyyy-MM-dd HH:mm:ss</c> UTC.</summary>
    public static string Time(JsonElement element, string name) =>
        DateTimeOffset.TryParse(Text(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : Text(element, name);
}
