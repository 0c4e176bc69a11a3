namespace ComIO.Storage.Metadata;

/// <summary>Marks one writer as in flight for group-commit gathering; disposing it (idempotent) ends the mark.</summary>
internal sealed class WriterTicket(GroupCommitter committer) : IDisposable
{
    private int _ended;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            committer.EndWrite();
        }
    }
}
