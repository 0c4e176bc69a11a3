namespace ComIO.ReplicationWorker.Copying;

/// <summary>
/// An open GET of a source version: its description and a forward-only body of <see cref="BodyLength"/> bytes (the
/// whole object, or the requested range). The caller owns it; disposing it closes the body (an unread rest of the
/// response is dropped with its connection).
/// </summary>
public sealed class SourceObject(SourceVersion version, Stream body, long bodyLength, IDisposable? owner = null) : IAsyncDisposable
{
    public SourceVersion Version { get; } = version;

    public Stream Body { get; } = body;

    public long BodyLength { get; } = bodyLength;

    private int _disposed;

    /// <summary>Idempotent (the multipart copier closes the first GET early; its opener closes it again).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await Body.DisposeAsync();
        owner?.Dispose();
    }
}
