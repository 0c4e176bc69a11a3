using System.Diagnostics;
using System.Text;
using ComIO.ApiService.Buckets;
using ComIO.Contracts.Replication;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Replication;

/// <summary>
/// Decides whether a write must be replicated, from the bucket's replication configuration as it is when the write is
/// accepted: the <see cref="ReplicationIntent"/> (destinations + the request's trace context) the node commits with the
/// change as its outbox entry, or null. Replica writes are never replicated again (no loops).
/// </summary>
public sealed class ReplicationPlanner(IOptions<ReplicationOptions> options)
{
    private const int MaxCachedDocuments = 1024;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ReplicationConfiguration> _parsed = new(StringComparer.Ordinal);

    /// <summary>The intent for a new version (or, with <paramref name="deleteMarker"/>, a delete marker) of <paramref name="key"/>.</summary>
    public ReplicationIntent? IntentFor(BucketSettings settings, string key, bool deleteMarker = false)
    {
        if (settings[BucketSettingNames.Replication] is not { } stored)
        {
            return null;
        }

        var configuration = Parse(stored);
        var destinations = configuration.DestinationsFor(key, deleteMarker, options.Value.Sites.Keys);
        if (destinations.Count == 0)
        {
            return null;
        }

        var activity = Activity.Current;
        return new ReplicationIntent(destinations, activity?.Id, activity?.TraceStateString);
    }

    /// <summary>
    /// The stored (already validated, canonical) configuration, parsed once per distinct document: every write to a
    /// replicated bucket asks for it. The configured sites it is checked against do not change while the service runs.
    /// </summary>
    public ReplicationConfiguration Parse(string stored)
    {
        if (_parsed.TryGetValue(stored, out var cached))
        {
            return cached;
        }

        var parsed = ReplicationConfigurationXml.Parse(Encoding.UTF8.GetBytes(stored), options.Value.Sites.Keys);
        if (_parsed.Count >= MaxCachedDocuments)
        {
            _parsed.Clear();
        }

        _parsed[stored] = parsed;
        return parsed;
    }
}
