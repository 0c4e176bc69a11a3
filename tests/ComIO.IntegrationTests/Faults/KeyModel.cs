namespace ComIO.IntegrationTests.Faults;

/// <summary>
/// What a key may hold. After an acknowledged PUT or DELETE exactly one outcome is allowed (the version, or absent =
/// null). After a failed one the outcome is unknown, so the key may hold any candidate and the workload stops using it
/// (an unacknowledged request could still be in flight). Only the worker that owns the key touches it.
/// </summary>
public sealed class KeyModel
{
    private readonly List<ObjectVersion?> _candidates = [null];

    public IReadOnlyList<ObjectVersion?> Candidates => _candidates;

    /// <summary>True while exactly one outcome is allowed (every change to the key was acknowledged).</summary>
    public bool IsCertain => _candidates.Count == 1;

    /// <summary>The one allowed outcome of a certain key.</summary>
    public ObjectVersion? Current => _candidates[^1];

    /// <summary>Set by the acknowledgement of a PUT (a version) or DELETE (null).</summary>
    public void Acknowledge(ObjectVersion? outcome)
    {
        _candidates.Clear();
        _candidates.Add(outcome);
    }

    /// <summary>A change that failed: it may or may not have happened.</summary>
    public void MaybeChanged(ObjectVersion? outcome) => _candidates.Add(outcome);

    public bool Allows(string? sha256) => _candidates.Any(c => c?.Sha256 == sha256);
}
