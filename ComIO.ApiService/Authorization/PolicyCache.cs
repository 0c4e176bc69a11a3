using System.Collections.Concurrent;
using ComIO.ApiService.Authorization.Policies;

namespace ComIO.ApiService.Authorization;

/// <summary>
/// Parsed policy documents by their exact text, so a policy is parsed once rather than on every request. Bounded: the
/// cache is cleared when it reaches <see cref="Capacity"/> entries. Thread-safe.
/// </summary>
public sealed class PolicyCache
{
    public const int Capacity = 4096;
    private readonly ConcurrentDictionary<(PolicyKind Kind, string? Bucket, string Json), PolicyDocument> _documents = new();

    /// <summary>The parsed document; stored documents were validated when written, so a parse failure here is a bug.</summary>
    public PolicyDocument Get(string json, PolicyKind kind, string? bucket)
    {
        var key = (kind, bucket, json);
        if (_documents.TryGetValue(key, out var document))
        {
            return document;
        }

        if (_documents.Count >= Capacity)
        {
            _documents.Clear();
        }

        document = PolicyDocument.Parse(json, kind, bucket);
        _documents[key] = document;
        return document;
    }
}
