using ComIO.Contracts.Replication;

namespace ComIO.ApiService.Replication;

/// <summary>
/// A bucket's replication configuration (the AWS <c>ReplicationConfiguration</c> subset ComIO implements): rules that
/// send the versions whose key starts with a prefix (and, when enabled, their delete markers) to a bucket on one named
/// site or on every configured site. Immutable.
/// </summary>
public sealed record ReplicationConfiguration(string Role, IReadOnlyList<ReplicationRule> Rules)
{
    public const int MaxRules = 1000;

    /// <summary>Where a new version of <paramref name="key"/> (or a delete marker) must go: the union of the enabled matching rules.</summary>
    public List<ReplicationDestination> DestinationsFor(string key, bool deleteMarker, IReadOnlyCollection<string> configuredSites)
    {
        var destinations = new List<ReplicationDestination>();
        foreach (var rule in Rules)
        {
            if (!rule.Enabled || !key.StartsWith(rule.Prefix, StringComparison.Ordinal) || (deleteMarker && !rule.DeleteMarkerReplication))
            {
                continue;
            }

            foreach (var destination in rule.DestinationsIn(configuredSites))
            {
                if (!destinations.Contains(destination))
                {
                    destinations.Add(destination);
                }
            }
        }

        return destinations;
    }
}

/// <summary>
/// One rule. <see cref="UsesFilter"/> records the schema version the client used (V2 <c>Filter</c> or V1 <c>Prefix</c>),
/// so the stored document reads back the way it was written.
/// </summary>
public sealed record ReplicationRule(
    string Id,
    int? Priority,
    bool Enabled,
    string Prefix,
    bool UsesFilter,
    bool DeleteMarkerReplication,
    string DestinationArn,
    string? DestinationSite,
    string DestinationBucket,
    string? StorageClass)
{
    /// <summary>The rule's destination bucket on its named site, or on every configured site when it names none.</summary>
    public IEnumerable<ReplicationDestination> DestinationsIn(IReadOnlyCollection<string> configuredSites) =>
        (DestinationSite is { } named ? [named] : configuredSites).Select(site => new ReplicationDestination(site, DestinationBucket));
}
