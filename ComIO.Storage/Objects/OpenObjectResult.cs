namespace ComIO.Storage;

/// <summary>
/// Outcome of <see cref="StorageEngine.OpenObjectAsync"/>. When <see cref="Status"/> is Ok, <see cref="Content"/> streams
/// the requested range, verifying each chunk before returning any of its bytes. The caller owns the result and must
/// dispose it: the object's extents cannot be reused while the stream is open. Not thread-safe.
/// </summary>
public sealed class OpenObjectResult : IAsyncDisposable
{
    public required EngineStatus Status { get; init; }

    public ObjectRecord? Object { get; init; }

    public Stream? Content { get; init; }

    /// <summary>Object offset of the first byte of <see cref="Content"/>.</summary>
    public long RangeStart { get; init; }

    /// <summary>Number of bytes <see cref="Content"/> yields.</summary>
    public long RangeLength { get; init; }

    public async ValueTask DisposeAsync()
    {
        if (Content is not null)
        {
            await Content.DisposeAsync().ConfigureAwait(false);
        }
    }
}
