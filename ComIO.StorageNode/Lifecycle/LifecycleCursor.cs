using System.Text.Json;

namespace ComIO.StorageNode.Lifecycle;

/// <summary>
/// Where a bucket's scan stands in a run, persisted as a system document of the device's engine so a restarted node
/// resumes after the last finished page instead of starting over. <see cref="Key"/> is the last key whose versions were
/// all processed (phase <see cref="VersionsPhase"/>) or the last upload examined (<see cref="UploadsPhase"/>, with
/// <see cref="UploadId"/>). Immutable.
/// </summary>
public sealed record LifecycleCursor(string RunId, string Phase, string? Key, string? UploadId)
{
    public const string VersionsPhase = "versions";
    public const string UploadsPhase = "uploads";
    public const string DonePhase = "done";

    /// <summary>UTF-8 JSON <c>{"run":…,"phase":…,"key":…,"uploadId":…}</c>.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("run", RunId);
            writer.WriteString("phase", Phase);
            writer.WriteString("key", Key);
            writer.WriteString("uploadId", UploadId);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Decodes <see cref="Serialize"/>'s output; null for a missing or unreadable document (the bucket starts over).</summary>
    public static LifecycleCursor? Parse(byte[]? payload)
    {
        if (payload is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            var run = root.GetProperty("run").GetString();
            var phase = root.GetProperty("phase").GetString();
            return run is null || phase is null ? null : new LifecycleCursor(run, phase, root.GetProperty("key").GetString(), root.GetProperty("uploadId").GetString());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
