namespace ComIO.Storage;

/// <summary>The result of <see cref="StorageEngine.ScrubAsync"/>. Immutable.</summary>
public sealed class ScrubReport
{
    public required long ObjectsScanned { get; init; }

    public required long ChunksVerified { get; init; }

    public required long BytesVerified { get; init; }

    public required IReadOnlyList<ScrubFinding> Findings { get; init; }

    public required TimeSpan Duration { get; init; }
}
