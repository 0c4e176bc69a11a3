using System.Globalization;
using System.Text.Json;
using ComIO.Contracts.Nodes;
using ComIO.Contracts.Replication;

namespace ComIO.ReplicationWorker.Queue;

/// <summary>
/// A stream entry's fields (<see cref="ReplicationStream"/>) parsed. <see cref="Problem"/> is non-null when the entry
/// cannot be applied (missing or malformed field): such an entry is poison and goes straight to the dead-letter stream.
/// It can still be reported to its node when <see cref="CanReport"/> (node, device, sequence, bucket and key parsed).
/// </summary>
public sealed record ReplicationEntry
{
    public required string Id { get; init; }
    public required string Operation { get; init; }
    public string? Node { get; init; }
    public int Device { get; init; }
    public long Sequence { get; init; }
    public string? Bucket { get; init; }
    public string? Key { get; init; }
    public string? VersionId { get; init; }
    public string? ETag { get; init; }
    public IReadOnlyList<ReplicationDestination> Destinations { get; init; } = [];
    public string? TraceParent { get; init; }
    public string? TraceState { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public string? Problem { get; init; }

    public bool CanReport { get; init; }

    /// <summary>Parses <paramref name="entry"/>; never throws (problems land in <see cref="Problem"/>).</summary>
    public static ReplicationEntry Parse(DeliveredEntry entry)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in entry.Fields)
        {
            fields[name] = value;
        }

        var problems = new List<string>();
        var node = Field(fields, ReplicationStream.Node, problems);
        var bucket = Field(fields, ReplicationStream.Bucket, problems);
        var key = Field(fields, ReplicationStream.Key, problems);
        var versionId = Field(fields, ReplicationStream.VersionId, problems);
        var operation = Field(fields, ReplicationStream.Operation, problems) ?? "unknown";
        if (operation is not (ReplicationStream.OperationPut or ReplicationStream.OperationDeleteMarker or "unknown"))
        {
            problems.Add($"unknown op '{operation}'");
        }

        var deviceOk = int.TryParse(fields.GetValueOrDefault(ReplicationStream.Device), NumberStyles.None, CultureInfo.InvariantCulture, out var device);
        var sequenceOk = long.TryParse(fields.GetValueOrDefault(ReplicationStream.Sequence), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence);
        if (!deviceOk)
        {
            problems.Add($"'{ReplicationStream.Device}' is missing or not a number");
        }

        if (!sequenceOk)
        {
            problems.Add($"'{ReplicationStream.Sequence}' is missing or not a number");
        }

        var destinations = ParseDestinations(fields.GetValueOrDefault(ReplicationStream.Destinations), problems);
        DateTimeOffset? created = DateTimeOffset.TryParse(fields.GetValueOrDefault(ReplicationStream.CreatedAt), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed) ? parsed : null;
        return new ReplicationEntry
        {
            Id = entry.Id,
            Operation = operation,
            Node = node,
            Device = device,
            Sequence = sequence,
            Bucket = bucket,
            Key = key,
            VersionId = versionId,
            ETag = fields.GetValueOrDefault(ReplicationStream.ETag),
            Destinations = destinations,
            TraceParent = fields.GetValueOrDefault(ReplicationStream.TraceParent),
            TraceState = fields.GetValueOrDefault(ReplicationStream.TraceState),
            CreatedAt = created,
            Problem = problems.Count == 0 ? null : string.Join("; ", problems),
            CanReport = node is not null && deviceOk && sequenceOk && bucket is not null && key is not null,
        };
    }

    private static string? Field(Dictionary<string, string> fields, string name, List<string> problems)
    {
        if (fields.TryGetValue(name, out var value) && value.Length > 0)
        {
            return value;
        }

        problems.Add($"'{name}' is missing");
        return null;
    }

    private static List<ReplicationDestination> ParseDestinations(string? json, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            problems.Add($"'{ReplicationStream.Destinations}' is missing");
            return [];
        }

        try
        {
            var list = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.ListReplicationDestination);
            if (list is null || list.Any(d => string.IsNullOrEmpty(d?.Site) || string.IsNullOrEmpty(d.Bucket)))
            {
                problems.Add($"'{ReplicationStream.Destinations}' has an entry without site or bucket");
                return [];
            }

            return list;
        }
        catch (JsonException e)
        {
            problems.Add($"'{ReplicationStream.Destinations}' is not a JSON array of destinations ({e.Message})");
            return [];
        }
    }
}
