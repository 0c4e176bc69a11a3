namespace ComIO.ApiService.Protocol.Bodies;

/// <summary>
/// Base of the forward-only, read-only request-body wrappers (decoders and verifiers): no seeking, no writing, no
/// length. Subclasses implement reading and report progress through <see cref="BytesRead"/>.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>Bytes this stream has returned so far.</summary>
    protected abstract long BytesRead { get; }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
