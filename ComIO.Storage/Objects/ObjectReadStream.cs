using ComIO.Storage.Devices;
using ComIO.Storage.Encryption;

namespace ComIO.Storage.Objects;

/// <summary>
/// Read-only, forward-only stream over <c>[start, start + length)</c> of an extent-backed object. Data is read in whole
/// chunks into pooled aligned buffers and each chunk's CRC32C is verified before any of its bytes are returned. A buffer
/// holds chunks of one data segment only (multipart objects have one segment per part, each with its own chunk grid), so
/// a range that crosses part boundaries is served segment by segment. When the range spans more than one buffer, up to
/// <see cref="ReadAheadBuffers"/> buffers are read ahead on the thread pool while the caller consumes the current one:
/// one device read at a time (queue depth 1, like a sequential reader), the next one started as soon as the previous
/// read returns, so verification and the caller's copying overlap the device instead of waiting for it. With a
/// <c>leadReadBytes</c> below the buffer size, the range's first buffer's worth is read in reads of that size instead,
/// so its first bytes are on their way to the client while the rest is read (latency of a lone reader). Holds a read
/// lease on the object's extents until disposed. Not thread-safe (the read-ahead bookkeeping is, internally).
/// </summary>
internal sealed class ObjectReadStream : Stream
{
    private readonly IBlockDevice _device;
    private readonly ObjectRecord _record;
    private readonly AlignedBufferPool _pool;
    private readonly Action _release;
    private readonly StorageMetrics _metrics;
    private readonly long _end;
    private readonly long _start;
    private readonly DataSegment[] _segments;
    private readonly long[] _segmentStarts;
    private readonly int[] _chunkBases;
    private readonly byte[]? _dataKey;
    private readonly int _leadReadBytes;
    /// <summary>Buffers a stream may hold in read-ahead besides the one the caller reads from.</summary>
    private const int ReadAheadBuffers = 2;

    private readonly object _gate = new();
    private readonly Queue<ReadAhead> _ahead = new(); // in object order; guarded by _gate
    private readonly Stack<AlignedBuffer> _free = new(); // read-ahead buffers not in use; guarded by _gate
    private long _nextReadAhead = -1; // chunk-aligned object offset the next read-ahead starts at; -1 = none planned
    private bool _deviceReadInFlight;
    private bool _readAheadFailed;
    private AlignedBuffer _active;
    private long _position;
    private long _bufferedStart;
    private long _bufferedEnd;
    private bool _disposed;

    /// <remarks>
    /// <paramref name="dataKey"/> is required when any segment is encrypted at rest: each chunk is then decrypted in place
    /// after its CRC32C (over the ciphertext) verified, and its AES-GCM tag must verify too. <paramref name="leadReadBytes"/>
    /// (at most the buffer size; 0 for the buffer size) bounds each device read within the range's first buffer's worth.
    /// </remarks>
    public ObjectReadStream(IBlockDevice device, ObjectRecord record, long start, long length, AlignedBufferPool pool, StorageMetrics metrics, Action release, byte[]? dataKey = null, int leadReadBytes = 0)
    {
        _dataKey = dataKey;
        _device = device;
        _record = record;
        _start = start;
        _position = start;
        _end = start + length;
        _pool = pool;
        _metrics = metrics;
        _release = release;
        _segments = record.Segments;
        _segmentStarts = new long[_segments.Length];
        _chunkBases = new int[_segments.Length];
        long offset = 0;
        var chunks = 0;
        for (var i = 0; i < _segments.Length; i++)
        {
            _segmentStarts[i] = offset;
            _chunkBases[i] = chunks;
            offset += _segments[i].Length;
            chunks += _segments[i].ChunkCount;
        }

        _active = pool.Rent();
        _leadReadBytes = leadReadBytes is > 0 && leadReadBytes < _active.Length ? leadReadBytes : _active.Length;
        if (length > 0)
        {
            var first = Locate(start);
            var firstChunkStart = AlignDown(first, start);
            if (_end - firstChunkStart > _leadReadBytes || _end > _segmentStarts[first] + _segments[first].Length)
            {
                for (var i = 0; i < ReadAheadBuffers; i++)
                {
                    _free.Push(pool.Rent());
                }
            }
        }
    }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _end - _start;

    public override long Position
    {
        get => _position - _start;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position >= _end || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _bufferedStart || _position >= _bufferedEnd)
        {
            FillAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_position >= _end || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _bufferedStart || _position >= _bufferedEnd)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        return CopyOut(buffer.Span);
    }

    private int CopyOut(Span<byte> destination)
    {
        var count = (int)Math.Min(destination.Length, Math.Min(_bufferedEnd, _end) - _position);
        _active.Span.Slice((int)(_position - _bufferedStart), count).CopyTo(destination);
        _position += count;
        _metrics.BytesRead(count);
        return count;
    }

    /// <summary>Index of the non-empty segment holding object offset <paramref name="offset"/> (which is below the size).</summary>
    private int Locate(long offset)
    {
        var index = Array.BinarySearch(_segmentStarts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        // Empty segments share their start with the next one: move to the segment that actually holds the offset.
        while (offset - _segmentStarts[index] >= _segments[index].Length)
        {
            index++;
        }

        return index;
    }

    /// <summary>The start of the chunk of segment <paramref name="segment"/> that holds object offset <paramref name="offset"/>.</summary>
    private long AlignDown(int segment, long offset)
    {
        var chunkSize = _segments[segment].ChunkSize;
        var segmentStart = _segmentStarts[segment];
        return segmentStart + ((offset - segmentStart) / chunkSize * chunkSize);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        var alignedPosition = AlignDown(Locate(_position), _position);
        _bufferedStart = _bufferedEnd = 0;
        ReadAhead? next;
        lock (_gate)
        {
            next = _ahead.Count > 0 && _ahead.Peek().Start == alignedPosition ? _ahead.Dequeue() : null;
        }

        if (next is not null)
        {
            long end;
            try
            {
                // Surfaces a read error or checksum mismatch of the read-ahead exactly when its range is reached.
                end = await next.Completion.ConfigureAwait(false);
            }
            catch
            {
                lock (_gate)
                {
                    _free.Push(next.Buffer);
                }

                throw;
            }

            lock (_gate)
            {
                _free.Push(_active);
                _active = next.Buffer;
                StartReadAheadLocked();
            }

            _bufferedStart = alignedPosition;
            _bufferedEnd = end;
            return;
        }

        await DiscardReadAheadAsync().ConfigureAwait(false);
        _bufferedEnd = await ReadVerifiedAsync(_active, alignedPosition, cancellationToken).ConfigureAwait(false);
        _bufferedStart = alignedPosition;
        lock (_gate)
        {
            _nextReadAhead = _bufferedEnd;
            StartReadAheadLocked();
        }
    }

    /// <summary>
    /// Starts the next read-ahead when no device read is in flight, a buffer is free and the range has more to read.
    /// Caller holds <see cref="_gate"/>.
    /// </summary>
    private void StartReadAheadLocked()
    {
        if (_disposed || _readAheadFailed || _deviceReadInFlight || _free.Count == 0 || _nextReadAhead < 0 || _nextReadAhead >= _end)
        {
            return;
        }

        var start = _nextReadAhead;
        var buffer = _free.Pop();
        _nextReadAhead = Plan(start, buffer.Length).End;
        _deviceReadInFlight = true;
        _ahead.Enqueue(new ReadAhead(start, buffer, Task.Run(() => ReadAheadAsync(buffer, start))));
    }

    /// <summary>One read-ahead: the device read, then (with the next read already started) verification.</summary>
    private async Task<long> ReadAheadAsync(AlignedBuffer buffer, long objectOffset)
    {
        var plan = Plan(objectOffset, buffer.Length);
        try
        {
            await ChunkReader.ReadAsync(_device, _segments[plan.Segment], plan.FirstChunk, plan.Count, buffer.Memory, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                _deviceReadInFlight = false;
                _readAheadFailed = true;
            }

            throw;
        }

        lock (_gate)
        {
            _deviceReadInFlight = false;
            StartReadAheadLocked();
        }

        try
        {
            return Verify(buffer, plan);
        }
        catch
        {
            lock (_gate)
            {
                _readAheadFailed = true;
            }

            throw;
        }
    }

    /// <summary>Waits for every read-ahead still queued (their outcome no longer matters) and takes their buffers back.</summary>
    private async ValueTask DiscardReadAheadAsync()
    {
        ReadAhead[] pending;
        lock (_gate)
        {
            pending = [.. _ahead];
            _ahead.Clear();
            _nextReadAhead = -1;
            _readAheadFailed = false;
        }

        foreach (var readAhead in pending)
        {
            try
            {
                await readAhead.Completion.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Discarded: its range is read again (and fails again, if it must) when the caller reaches it.
            }

            lock (_gate)
            {
                _free.Push(readAhead.Buffer);
            }
        }
    }

    /// <summary>
    /// The chunks of one segment a read at chunk-aligned <paramref name="objectOffset"/> covers, up to the buffer size (the
    /// lead read size within the range's first buffer's worth), the segment end or the range end; at least one chunk.
    /// </summary>
    private ReadPlan Plan(long objectOffset, int bufferLength)
    {
        var index = Locate(objectOffset);
        var segment = _segments[index];
        var segmentStart = _segmentStarts[index];
        var chunkSize = segment.ChunkSize;
        var firstChunk = (int)((objectOffset - segmentStart) / chunkSize);
        var lastChunk = (int)((Math.Min(_end, segmentStart + segment.Length) - segmentStart - 1) / chunkSize);
        var readBytes = objectOffset - _start < bufferLength ? _leadReadBytes : bufferLength;
        var count = Math.Min(Math.Max(1, readBytes / chunkSize), lastChunk - firstChunk + 1);
        return new ReadPlan(index, firstChunk, count, segmentStart + Math.Min(segment.Length, (long)(firstChunk + count) * chunkSize));
    }

    /// <summary>
    /// Reads and verifies the chunks of one segment starting at chunk-aligned <paramref name="objectOffset"/>, up to the
    /// buffer size, the segment end or the range end; returns the object offset where the verified bytes end.
    /// </summary>
    private async ValueTask<long> ReadVerifiedAsync(AlignedBuffer buffer, long objectOffset, CancellationToken cancellationToken)
    {
        var plan = Plan(objectOffset, buffer.Length);
        await ChunkReader.ReadAsync(_device, _segments[plan.Segment], plan.FirstChunk, plan.Count, buffer.Memory, cancellationToken).ConfigureAwait(false);
        return Verify(buffer, plan);
    }

    /// <summary>Checks every chunk the plan read against its CRC32C (and decrypts it when encrypted); returns the plan's end.</summary>
    private long Verify(AlignedBuffer buffer, ReadPlan plan)
    {
        var segment = _segments[plan.Segment];
        var bad = ChunkReader.FindMismatch(segment, plan.FirstChunk, plan.Count, buffer.Span, out var actual);
        if (bad >= 0)
        {
            _metrics.ChecksumFailure();
            var deviceOffset = segment.MapToDevice((long)bad * segment.ChunkSize, out _);
            throw new ChecksumMismatchException(_record.Bucket, _record.Key, deviceOffset, _chunkBases[plan.Segment] + bad, segment.ChunkCrcs[bad], actual);
        }

        if (segment.Encryption is { } encryption)
        {
            Decrypt(segment, encryption, plan.FirstChunk, plan.Count, buffer.Span, _chunkBases[plan.Segment]);
        }

        return plan.End;
    }

    private void Decrypt(DataSegment segment, SegmentEncryption encryption, int firstChunk, int count, Span<byte> buffer, int chunkBase)
    {
        if (_dataKey is null)
        {
            throw new InvalidOperationException($"'{_record.Bucket}/{_record.Key}' is encrypted at rest; no data key was given.");
        }

        using var cipher = ChunkCipher.ForSegment(_dataKey, encryption);
        for (var i = 0; i < count; i++)
        {
            var chunk = firstChunk + i;
            if (!cipher.TryDecrypt(chunk, buffer.Slice(i * segment.ChunkSize, segment.ChunkLength(chunk)), encryption.TagOf(chunk)))
            {
                _metrics.ChecksumFailure();
                throw new ChecksumMismatchException(_record.Bucket, _record.Key, segment.MapToDevice((long)chunk * segment.ChunkSize, out _), chunkBase + chunk);
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            lock (_gate)
            {
                _disposed = true;
            }

            DiscardReadAheadAsync().AsTask().GetAwaiter().GetResult();
            ReleaseResources();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            lock (_gate)
            {
                _disposed = true;
            }

            await DiscardReadAheadAsync().ConfigureAwait(false);
            ReleaseResources();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ReleaseResources()
    {
        _active.Dispose();
        while (_free.TryPop(out var buffer))
        {
            buffer.Dispose();
        }

        _release();
    }

    /// <summary>What one device read covers: <see cref="Count"/> chunks of segment <see cref="Segment"/> from <see cref="FirstChunk"/>, ending at object offset <see cref="End"/>.</summary>
    private readonly record struct ReadPlan(int Segment, int FirstChunk, int Count, long End);

    /// <summary>A read-ahead in flight or done: its start, its buffer (owned by it until taken) and its verified end.</summary>
    private sealed record ReadAhead(long Start, AlignedBuffer Buffer, Task<long> Completion);
}
