using ComIO.Storage.Devices;
using ComIO.Storage.Encryption;

namespace ComIO.Storage.Objects;

/// <summary>
/// Read-only, forward-only stream over <c>[start, start + length)</c> of an extent-backed object. Data is read in whole
/// chunks into pooled aligned buffers and each chunk's CRC32C is verified before any of its bytes are returned. A buffer
/// holds chunks of one data segment only (multipart objects have one segment per part, each with its own chunk grid), so
/// a range that crosses part boundaries is served segment by segment. When the
/// range spans more than one buffer, the next buffer is read ahead on the thread pool while the caller consumes the
/// current one. Holds a read lease on the object's extents until disposed. Not thread-safe.
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
    private AlignedBuffer _active;
    private AlignedBuffer? _spare;
    private Task<long>? _prefetch;
    private long _prefetchStart = -1;
    private long _position;
    private long _bufferedStart;
    private long _bufferedEnd;
    private bool _disposed;

    /// <remarks>
    /// <paramref name="dataKey"/> is required when any segment is encrypted at rest: each chunk is then decrypted in place
    /// after its CRC32C (over the ciphertext) verified, and its AES-GCM tag must verify too.
    /// </remarks>
    public ObjectReadStream(IBlockDevice device, ObjectRecord record, long start, long length, AlignedBufferPool pool, StorageMetrics metrics, Action release, byte[]? dataKey = null)
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
        if (length > 0)
        {
            var first = Locate(start);
            var firstChunkStart = AlignDown(first, start);
            if (_end - firstChunkStart > _active.Length || _end > _segmentStarts[first] + _segments[first].Length)
            {
                _spare = pool.Rent();
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
        if (_prefetch is not null && _prefetchStart == alignedPosition)
        {
            // Surfaces a read error or checksum mismatch of the read-ahead exactly when its range is reached.
            var prefetch = _prefetch;
            _prefetch = null;
            var end = await prefetch.ConfigureAwait(false);
            (_active, _spare) = (_spare!, _active);
            _bufferedStart = alignedPosition;
            _bufferedEnd = end;
        }
        else
        {
            await WaitForPrefetchAsync().ConfigureAwait(false);
            _bufferedEnd = await ReadVerifiedAsync(_active, alignedPosition, cancellationToken).ConfigureAwait(false);
            _bufferedStart = alignedPosition;
        }

        if (_spare is not null && _bufferedEnd < _end)
        {
            var next = _bufferedEnd;
            var spare = _spare;
            _prefetchStart = next;
            _prefetch = Task.Run(() => ReadVerifiedAsync(spare, next, CancellationToken.None).AsTask(), CancellationToken.None);
        }
    }

    /// <summary>
    /// Reads and verifies the chunks of one segment starting at chunk-aligned <paramref name="objectOffset"/>, up to the
    /// buffer size, the segment end or the range end; returns the object offset where the verified bytes end.
    /// </summary>
    private async ValueTask<long> ReadVerifiedAsync(AlignedBuffer buffer, long objectOffset, CancellationToken cancellationToken)
    {
        var index = Locate(objectOffset);
        var segment = _segments[index];
        var segmentStart = _segmentStarts[index];
        var chunkSize = segment.ChunkSize;
        var firstChunk = (int)((objectOffset - segmentStart) / chunkSize);
        var lastChunk = (int)((Math.Min(_end, segmentStart + segment.Length) - segmentStart - 1) / chunkSize);
        var count = Math.Min(buffer.Length / chunkSize, lastChunk - firstChunk + 1);
        await ChunkReader.ReadAsync(_device, segment, firstChunk, count, buffer.Memory, cancellationToken).ConfigureAwait(false);
        var bad = ChunkReader.FindMismatch(segment, firstChunk, count, buffer.Span, out var actual);
        if (bad >= 0)
        {
            _metrics.ChecksumFailure();
            var deviceOffset = segment.MapToDevice((long)bad * chunkSize, out _);
            throw new ChecksumMismatchException(_record.Bucket, _record.Key, deviceOffset, _chunkBases[index] + bad, segment.ChunkCrcs[bad], actual);
        }

        if (segment.Encryption is { } encryption)
        {
            Decrypt(segment, encryption, firstChunk, count, buffer.Span, _chunkBases[index]);
        }

        return segmentStart + Math.Min(segment.Length, (long)(firstChunk + count) * chunkSize);
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

    private async ValueTask WaitForPrefetchAsync()
    {
        var prefetch = _prefetch;
        _prefetch = null;
        if (prefetch is not null)
        {
            try
            {
                await prefetch.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The read-ahead is being discarded; its outcome no longer matters.
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
            _disposed = true;
            WaitForPrefetchAsync().AsTask().GetAwaiter().GetResult();
            ReleaseResources();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await WaitForPrefetchAsync().ConfigureAwait(false);
            ReleaseResources();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ReleaseResources()
    {
        _active.Dispose();
        _spare?.Dispose();
        _release();
    }
}
