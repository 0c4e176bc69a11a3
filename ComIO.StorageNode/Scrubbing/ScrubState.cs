using ComIO.Storage;

namespace ComIO.StorageNode.Scrubbing;

/// <summary>What scrubs have found so far on this node. Thread-safe.</summary>
public sealed class ScrubState
{
    private readonly Lock _gate = new();
    private List<ScrubFinding> _lastFindings = [];
    private long _totalFindings;
    private long _totalBytesVerified;

    public long TotalFindings => Interlocked.Read(ref _totalFindings);

    public long TotalBytesVerified => Interlocked.Read(ref _totalBytesVerified);

    public DateTimeOffset? LastCompleted { get; private set; }

    /// <summary>Findings of the most recent scrub of every device (empty when the data verified clean).</summary>
    public IReadOnlyList<ScrubFinding> LastFindings
    {
        get
        {
            lock (_gate)
            {
                return _lastFindings;
            }
        }
    }

    public void Record(IReadOnlyList<ScrubReport> reports, DateTimeOffset completed)
    {
        var findings = reports.SelectMany(r => r.Findings).ToList();
        Interlocked.Add(ref _totalFindings, findings.Count);
        Interlocked.Add(ref _totalBytesVerified, reports.Sum(r => r.BytesVerified));
        lock (_gate)
        {
            _lastFindings = findings;
            LastCompleted = completed;
        }
    }
}
