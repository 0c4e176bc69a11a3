namespace ComIO.ApiService.Placement;

/// <summary>
/// Rendezvous (highest-random-weight) placement of objects onto the storage nodes of one site.
/// Each node gets a weight <c>Mix(hash(bucket, key) XOR seed(node))</c>; the nodes ordered by descending weight
/// (ties broken by ordinal node ID) are the object's preference list, the first <c>replicas</c> of which hold it.
/// </summary>
/// <remarks>
/// Invariants: the result depends only on the node IDs and the (bucket, key) bytes, so every process computes the same
/// placement; adding a node moves only the objects that now rank it first (about 1/N), and removing a node moves only
/// the objects it held. Immutable and thread-safe; <see cref="PrimaryFor"/> does not allocate for keys up to ~1 KiB.
/// </remarks>
public sealed class RendezvousPlacement
{
    private const ulong KeySeed = 0x0B1EC7UL;
    private const ulong BucketSeed = 0xB0C4E7UL;
    private const ulong NodeSeed = 0x5EED0F0DE5UL;

    private readonly StorageNodeInfo[] _nodes;
    private readonly ulong[] _seeds;

    /// <param name="nodes">At least one node; IDs must be unique (ordinal) and non-empty.</param>
    public RendezvousPlacement(IReadOnlyList<StorageNodeInfo> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (nodes.Count == 0)
        {
            throw new ArgumentException("Placement needs at least one storage node.", nameof(nodes));
        }

        _nodes = [.. nodes];
        _seeds = new ulong[_nodes.Length];
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _nodes.Length; i++)
        {
            var id = _nodes[i]?.Id;
            if (string.IsNullOrEmpty(id) || !ids.Add(id))
            {
                throw new ArgumentException($"Storage node IDs must be unique and non-empty (\"{id}\").", nameof(nodes));
            }

            _seeds[i] = StableHash.HashStrings(id, null, NodeSeed);
        }

        Nodes = Array.AsReadOnly(_nodes);
    }

    /// <summary>The nodes, in the order given.</summary>
    public IReadOnlyList<StorageNodeInfo> Nodes { get; }

    /// <summary>The highest-weight node for the object (the first entry of <see cref="RankFor"/>).</summary>
    public StorageNodeInfo PrimaryFor(string bucket, string key)
        => _nodes[PrimaryIndex(ObjectHash(bucket, key))];

    /// <summary>The first <paramref name="count"/> nodes (capped at the node count) in descending weight order for the object.</summary>
    public IReadOnlyList<StorageNodeInfo> RankFor(string bucket, string key, int count)
        => Rank(ObjectHash(bucket, key), count);

    /// <summary>The nodes holding the bucket's own record (creation, versioning, policy), ranked like objects but by bucket name alone.</summary>
    public IReadOnlyList<StorageNodeInfo> RankForBucket(string bucket, int count)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        return Rank(StableHash.HashStrings(bucket, null, BucketSeed), count);
    }

    /// <summary>The 64-bit placement hash of an object; exposed for tests and diagnostics.</summary>
    internal static ulong ObjectHash(string bucket, string key)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        return StableHash.HashStrings(bucket, key, KeySeed);
    }

    /// <summary>The index into <see cref="Nodes"/> of the winning node for a precomputed <see cref="ObjectHash"/>.</summary>
    internal int PrimaryIndex(ulong objectHash)
    {
        var best = 0;
        var bestWeight = StableHash.Mix(objectHash ^ _seeds[0]);
        for (var i = 1; i < _seeds.Length; i++)
        {
            var weight = StableHash.Mix(objectHash ^ _seeds[i]);
            if (weight > bestWeight || (weight == bestWeight && string.CompareOrdinal(_nodes[i].Id, _nodes[best].Id) < 0))
            {
                best = i;
                bestWeight = weight;
            }
        }

        return best;
    }

    private StorageNodeInfo[] Rank(ulong objectHash, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, _nodes.Length);
        var chosen = new int[count];
        var weights = new ulong[count];
        var filled = 0;
        for (var i = 0; i < _seeds.Length; i++)
        {
            var weight = StableHash.Mix(objectHash ^ _seeds[i]);

            // Insertion into the sorted top-`count` list (count is small: the replica count).
            var position = filled;
            while (position > 0 && Outranks(weight, i, weights[position - 1], chosen[position - 1]))
            {
                position--;
            }

            if (position >= count)
            {
                continue;
            }

            var last = Math.Min(filled, count - 1);
            for (var j = last; j > position; j--)
            {
                weights[j] = weights[j - 1];
                chosen[j] = chosen[j - 1];
            }

            weights[position] = weight;
            chosen[position] = i;
            filled = Math.Min(filled + 1, count);
        }

        var result = new StorageNodeInfo[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = _nodes[chosen[i]];
        }

        return result;
    }

    private bool Outranks(ulong weight, int index, ulong otherWeight, int otherIndex)
        => weight > otherWeight || (weight == otherWeight && string.CompareOrdinal(_nodes[index].Id, _nodes[otherIndex].Id) < 0);
}
