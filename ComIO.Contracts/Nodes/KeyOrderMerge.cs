namespace ComIO.Contracts.Nodes;

/// <summary>
/// Merges listing runs that are each in S3 key order (<see cref="Utf8KeyComparer"/>) into one run in that order: a
/// storage node's devices' pages into its page, the nodes' pages into the API service's. Each step compares the heads of
/// the runs, so a merge costs at most one comparison per run per entry taken, not a sort.
/// </summary>
public static class KeyOrderMerge
{
    /// <summary>
    /// The first <paramref name="count"/> entries of <paramref name="runs"/> in key order, stopping before the first
    /// key above <paramref name="through"/> when it is set. Equal keys keep their run's order, earlier runs first, so
    /// the result equals a stable sort of the runs' concatenation (a key's versions stay newest first).
    /// </summary>
    public static List<ObjectInfo> Merge(IReadOnlyList<List<ObjectInfo>> runs, int count, string? through = null)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var comparer = Utf8KeyComparer.Instance;
        var next = new int[runs.Count];
        var available = 0;
        foreach (var run in runs)
        {
            available += run.Count;
        }

        var merged = new List<ObjectInfo>(Math.Max(0, Math.Min(count, available)));
        while (merged.Count < count)
        {
            var best = -1;
            for (var run = 0; run < runs.Count; run++)
            {
                if (next[run] < runs[run].Count
                    && (best < 0 || comparer.Compare(runs[run][next[run]].Key, runs[best][next[best]].Key) < 0))
                {
                    best = run;
                }
            }

            if (best < 0)
            {
                break;
            }

            var entry = runs[best][next[best]];
            if (through is not null && comparer.Compare(entry.Key, through) > 0)
            {
                break;
            }

            merged.Add(entry);
            next[best]++;
        }

        return merged;
    }
}
