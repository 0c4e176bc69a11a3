using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ComIO.Bench;

/// <summary>The named numbers one benchmark command produces; printed as one JSON object on stdout for bench/run.sh.</summary>
internal sealed class BenchResult(string command)
{
    private readonly List<KeyValuePair<string, double>> _values = [];
    private readonly List<KeyValuePair<string, string>> _notes = [];

    public void Add(string name, double value) => _values.Add(new(name, value));

    /// <summary>The value added under <paramref name="name"/>.</summary>
    public double Value(string name) => _values.First(v => v.Key == name).Value;

    public void Note(string name, string value) => _notes.Add(new(name, value));

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("command", command);
            foreach (var (name, value) in _notes)
            {
                writer.WriteString(name, value);
            }

            foreach (var (name, value) in _values)
            {
                writer.WriteNumber(name, Math.Round(value, 4));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A human-readable summary for stderr.</summary>
    public string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(command).Append(':');
        foreach (var (name, value) in _values)
        {
            builder.Append(' ').Append(name).Append('=').Append(value.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
