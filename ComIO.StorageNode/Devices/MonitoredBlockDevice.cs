using ComIO.Storage.Devices;

namespace ComIO.StorageNode.Devices;

/// <summary>
/// Wraps a device and counts the I/O errors (<see cref="IOException"/>) of its reads, writes and flushes, so the node can
/// report a failing device in <c>/health</c> and metrics. Errors are sticky until the node restarts: a device that
/// returned EIO is suspect until an operator looks at it. Does not change results or exceptions. Thread-safe.
/// </summary>
public sealed class MonitoredBlockDevice(IBlockDevice inner) : IBlockDevice
{
    private long _readErrors;
    private long _writeErrors;
    private long _flushErrors;
    private volatile string? _lastError;

    public string Path => inner.Path;

    public int BlockSize => inner.BlockSize;

    public long Capacity => inner.Capacity;

    public long ReadErrors => Interlocked.Read(ref _readErrors);

    public long WriteErrors => Interlocked.Read(ref _writeErrors);

    public long FlushErrors => Interlocked.Read(ref _flushErrors);

    public long TotalErrors => ReadErrors + WriteErrors + FlushErrors;

    /// <summary>The message of the most recent I/O error, or null.</summary>
    public string? LastError => _lastError;

    public async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.WriteAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Record(ref _writeErrors, e);
            throw;
        }
    }

    public async ValueTask ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.ReadAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Record(ref _readErrors, e);
            throw;
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Record(ref _flushErrors, e);
            throw;
        }
    }

    public void Dispose() => inner.Dispose();

    private void Record(ref long counter, IOException e)
    {
        Interlocked.Increment(ref counter);
        _lastError = e.Message;
    }
}
