namespace ComIO.Storage;

/// <summary>A bucket as known to this storage node. Immutable.</summary>
public sealed class BucketRecord
{
    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
