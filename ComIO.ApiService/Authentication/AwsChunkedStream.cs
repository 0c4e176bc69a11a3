using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Protocol.Bodies;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Authentication;

/// <summary>
/// Decodes an <c>aws-chunked</c> request body (<c>hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n
/// [trailer-name:value\r\n ...] \r\n</c>) into the object bytes, verifying the chained chunk signatures (and the trailer
/// signature) when <see cref="StreamingSignatureContext"/> is given, and exposing the trailing headers
/// (e.g. <c>x-amz-checksum-crc32</c>) in <see cref="Trailers"/> once EOF has been returned.
/// </summary>
/// <remarks>
/// <para>Streaming: memory is bounded by one 8 KiB framing buffer whatever the chunk sizes; chunk data is hashed
/// incrementally. Bytes of a chunk are handed to the caller <b>before</b> that chunk's signature (which follows its data)
/// is verified. EOF (a 0-byte read) is returned only after every chunk signature, the trailer signature and the total
/// decoded length have been verified, so callers must read to EOF without error before committing anything.</para>
/// <para>Untrusted input: size lines are at most 4 KiB and 16 hex digits, a chunk larger than what remains of
/// <c>x-amz-decoded-content-length</c> is rejected before any data is read, at most 16 trailers are accepted, and
/// nothing is allocated in proportion to a declared size. Failures throw <see cref="S3Exception"/>:
/// <see cref="S3ErrorCode.SignatureDoesNotMatch"/> for a bad signature, <see cref="S3ErrorCode.IncompleteBody"/> for a body
/// that ends early or is shorter than declared, <see cref="S3ErrorCode.InvalidRequest"/> for malformed framing. After a
/// failure every read rethrows it.</para>
/// <para>Does not own (dispose) the inner stream. Not thread-safe (like any stream).</para>
/// </remarks>
public sealed class AwsChunkedStream : ReadOnlyStream
{
    /// <summary>Longest accepted chunk-size or trailer line, excluding CRLF.</summary>
    public const int MaxLineLength = 4096;

    private const int BufferSize = 8192;
    private const int MaxSizeDigits = 16;
    private const int MaxTrailers = 16;
    private const string SignatureExtension = "chunk-signature=";
    private const string TrailerSignatureName = "x-amz-trailer-signature";

    private static readonly IReadOnlyDictionary<string, string> NoTrailers = new Dictionary<string, string>();

    private readonly Stream _inner;
    private readonly StreamingSignatureContext? _signing;
    private readonly long _decodedContentLength;
    private readonly IncrementalHash? _chunkHash;
    private readonly byte[] _chunkSignature = new byte[32];
    private readonly List<KeyValuePair<string, string>> _trailerList = [];
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private State _state = State.ChunkHeader;
    private long _chunkRemaining;
    private long _decoded;
    private string? _previousSignature;
    private Dictionary<string, string>? _trailers;
    private S3Exception? _failure;

    /// <param name="inner">The raw request body (HTTP framing already removed by the server).</param>
    /// <param name="signing">Chunk-signature state for signed modes; <see langword="null"/> for <c>STREAMING-UNSIGNED-PAYLOAD-TRAILER</c>.</param>
    /// <param name="decodedContentLength">The <c>x-amz-decoded-content-length</c> header: the exact number of object bytes.</param>
    public AwsChunkedStream(Stream inner, StreamingSignatureContext? signing, long decodedContentLength)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(decodedContentLength);
        _inner = inner;
        _signing = signing;
        _decodedContentLength = decodedContentLength;
        _previousSignature = signing?.SeedSignature;
        _chunkHash = signing is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    private enum State
    {
        ChunkHeader,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        Done,
    }

    /// <summary>The trailing headers (lower-case names; <c>x-amz-trailer-signature</c> excluded), available once EOF was returned; empty before.</summary>
    public IReadOnlyDictionary<string, string> Trailers => _trailers ?? NoTrailers;

    /// <summary>Whether the whole body was decoded and verified (EOF returned).</summary>
    public bool IsCompleted => _state == State.Done;

    /// <summary>Object bytes returned so far.</summary>
    public long DecodedBytes => _decoded;

    protected override long BytesRead => _decoded;

    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        var pending = ReadCoreAsync(buffer.AsMemory(offset, count), useAsync: false, CancellationToken.None);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadCoreAsync(buffer.AsMemory(offset, count), useAsync: true, cancellationToken).AsTask();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => ReadCoreAsync(buffer, useAsync: true, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _chunkHash?.Dispose();
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> ReadCoreAsync(Memory<byte> destination, bool useAsync, CancellationToken cancellationToken)
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        ObjectDisposedException.ThrowIf(_buffer is null, this);
        try
        {
            while (true)
            {
                switch (_state)
                {
                    case State.Done:
                        return 0;

                    case State.ChunkHeader:
                        {
                            var (offset, length) = await ReadLineAsync(useAsync, cancellationToken).ConfigureAwait(false);
                            OnChunkHeader(_buffer.AsSpan(offset, length));
                            break;
                        }

                    case State.ChunkData:
                        {
                            if (destination.IsEmpty)
                            {
                                return 0;
                            }

                            var wanted = (int)Math.Min(destination.Length, _chunkRemaining);
                            int read;
                            if (_end > _start)
                            {
                                read = Math.Min(wanted, _end - _start);
                                _buffer.AsSpan(_start, read).CopyTo(destination.Span);
                                _start += read;
                            }
                            else
                            {
                                read = useAsync
                                    ? await _inner.ReadAsync(destination[..wanted], cancellationToken).ConfigureAwait(false)
                                    : _inner.Read(destination.Span[..wanted]);
                                if (read == 0)
                                {
                                    throw Incomplete();
                                }
                            }

                            _chunkHash?.AppendData(destination.Span[..read]);
                            _chunkRemaining -= read;
                            _decoded += read;
                            if (_chunkRemaining == 0)
                            {
                                _state = State.ChunkDataEnd;
                            }

                            return read;
                        }

                    case State.ChunkDataEnd:
                        {
                            if (!await EnsureBufferedAsync(2, useAsync, cancellationToken).ConfigureAwait(false))
                            {
                                throw Incomplete();
                            }

                            if (_buffer[_start] != (byte)'\r' || _buffer[_start + 1] != (byte)'\n')
                            {
                                throw Malformed("Chunk data is not followed by CRLF (chunk longer than its declared size).");
                            }

                            _start += 2;
                            VerifyChunkSignature();
                            _state = State.ChunkHeader;
                            break;
                        }

                    case State.Trailers:
                        {
                            var (offset, length) = await ReadLineAsync(useAsync, cancellationToken).ConfigureAwait(false);
                            if (length > 0)
                            {
                                OnTrailerLine(_buffer.AsSpan(offset, length));
                                break;
                            }

                            if (_end > _start || await EnsureBufferedAsync(1, useAsync, cancellationToken).ConfigureAwait(false))
                            {
                                throw Malformed("Unexpected data after the end of the aws-chunked body.");
                            }

                            VerifyTrailers();
                            Complete();
                            return 0;
                        }
                }
            }
        }
        catch (S3Exception exception)
        {
            _failure = exception;
            throw;
        }
    }

    private void OnChunkHeader(ReadOnlySpan<byte> line)
    {
        var semicolon = line.IndexOf((byte)';');
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.IsEmpty || sizeText.Length > MaxSizeDigits)
        {
            throw Malformed("Invalid chunk size line.");
        }

        ulong size = 0;
        foreach (var b in sizeText)
        {
            var digit = SigV4Encoding.HexValue((char)b);
            if (digit < 0)
            {
                throw Malformed("Invalid chunk size line.");
            }

            size = (size << 4) | (uint)digit;
        }

        if (size > (ulong)(_decodedContentLength - _decoded))
        {
            throw Malformed("A chunk is larger than the remaining x-amz-decoded-content-length.");
        }

        if (_signing is not null)
        {
            var extension = semicolon < 0 ? [] : line[(semicolon + 1)..];
            if (extension.Length != SignatureExtension.Length + 64
                || !extension.StartsWith("chunk-signature="u8)
                || !TryParseHex(extension[SignatureExtension.Length..], _chunkSignature))
            {
                throw Malformed("A signed chunk must carry ';chunk-signature=<64 hex digits>'.");
            }

            _chunkHash!.GetHashAndReset();
        }

        if (size == 0)
        {
            if (_decoded != _decodedContentLength)
            {
                throw Incomplete();
            }

            VerifyChunkSignature();
            _state = State.Trailers;
            return;
        }

        _chunkRemaining = (long)size;
        _state = State.ChunkData;
    }

    private void OnTrailerLine(ReadOnlySpan<byte> line)
    {
        if (_trailerList.Count >= MaxTrailers)
        {
            throw Malformed("Too many trailing headers.");
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw Malformed("A trailing header must be 'name:value'.");
        }

        foreach (var b in line)
        {
            if (b is < 0x20 or >= 0x7F && b != (byte)'\t')
            {
                throw Malformed("Trailing headers must be printable ASCII.");
            }
        }

        var name = Encoding.ASCII.GetString(line[..colon]).Trim().ToLowerInvariant();
        var value = Encoding.ASCII.GetString(line[(colon + 1)..]).Trim();
        if (name.Length == 0)
        {
            throw Malformed("A trailing header must be 'name:value'.");
        }

        foreach (var existing in _trailerList)
        {
            if (existing.Key == name)
            {
                throw Malformed($"Duplicate trailing header '{name}'.");
            }
        }

        _trailerList.Add(new(name, value));
    }

    private void VerifyChunkSignature()
    {
        if (_signing is null)
        {
            return;
        }

        Span<byte> chunkHash = stackalloc byte[32];
        _chunkHash!.GetHashAndReset(chunkHash);
        var stringToSign = string.Concat(
            "AWS4-HMAC-SHA256-PAYLOAD\n",
            _signing.Timestamp, "\n",
            _signing.Scope, "\n",
            _previousSignature, "\n",
            SigV4Crypto.EmptySha256Hex, "\n",
            Convert.ToHexStringLower(chunkHash));
        _previousSignature = CheckSignature(stringToSign, _chunkSignature);
    }

    private void VerifyTrailers()
    {
        var signatureIndex = _trailerList.FindIndex(static t => t.Key == TrailerSignatureName);
        if (_signing is null)
        {
            if (signatureIndex >= 0)
            {
                _trailerList.RemoveAt(signatureIndex);
            }

            return;
        }

        if (!_signing.HasTrailer)
        {
            if (_trailerList.Count > 0)
            {
                throw Malformed("Trailing headers were sent but the request did not declare a trailer payload.");
            }

            return;
        }

        Span<byte> provided = stackalloc byte[32];
        if (signatureIndex < 0 || !SigV4Encoding.TryParseSha256Hex(_trailerList[signatureIndex].Value, provided))
        {
            throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch, "The trailing headers must end with a valid x-amz-trailer-signature.");
        }

        _trailerList.RemoveAt(signatureIndex);
        var canonical = new StringBuilder();
        foreach (var (name, value) in _trailerList.OrderBy(static t => t.Key, StringComparer.Ordinal))
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        var stringToSign = string.Concat(
            "AWS4-HMAC-SHA256-TRAILER\n",
            _signing.Timestamp, "\n",
            _signing.Scope, "\n",
            _previousSignature, "\n",
            SigV4Crypto.Sha256Hex(canonical.ToString()));
        _previousSignature = CheckSignature(stringToSign, provided);
    }

    private string CheckSignature(string stringToSign, ReadOnlySpan<byte> provided)
    {
        Span<byte> computed = stackalloc byte[32];
        SigV4Crypto.HmacUtf8(_signing!.SigningKey, stringToSign, computed);
        if (!CryptographicOperations.FixedTimeEquals(computed, provided))
        {
            throw new S3Exception(S3ErrorCode.SignatureDoesNotMatch)
            {
                ExtraElements = [new("StringToSign", stringToSign)],
            };
        }

        return Convert.ToHexStringLower(computed);
    }

    private void Complete()
    {
        var trailers = new Dictionary<string, string>(_trailerList.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in _trailerList)
        {
            trailers[name] = value;
        }

        _trailers = trailers;
        _state = State.Done;
    }

    /// <summary>Reads one CRLF-terminated line into the buffer; returns its position (without CRLF). Throws on EOF or an over-long line.</summary>
    private async ValueTask<(int Offset, int Length)> ReadLineAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var end = _start + scanned + newline;
                if (end == _start || _buffer![end - 1] != (byte)'\r')
                {
                    throw Malformed("Lines of an aws-chunked body must end with CRLF.");
                }

                var offset = _start;
                _start = end + 1;
                return (offset, end - 1 - offset);
            }

            scanned = _end - _start;
            if (scanned > MaxLineLength + 1)
            {
                throw Malformed("An aws-chunked framing line is too long.");
            }

            if (!await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
            {
                throw Incomplete();
            }
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available; false when the inner stream ends first.</summary>
    private async ValueTask<bool> EnsureBufferedAsync(int count, bool useAsync, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
        {
            if (!await FillAsync(useAsync, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Reads more bytes after the buffered ones (compacting first); false at EOF.</summary>
    private async ValueTask<bool> FillAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var buffer = _buffer!;
        if (_start > 0)
        {
            buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == buffer.Length)
        {
            throw Malformed("An aws-chunked framing line is too long.");
        }

        var read = useAsync
            ? await _inner.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false)
            : _inner.Read(buffer.AsSpan(_end));
        _end += read;
        return read > 0;
    }

    private static bool TryParseHex(ReadOnlySpan<byte> hex, Span<byte> destination)
    {
        Span<char> chars = stackalloc char[64];
        if (hex.Length != 64)
        {
            return false;
        }

        for (var i = 0; i < 64; i++)
        {
            chars[i] = (char)hex[i];
        }

        return SigV4Encoding.TryParseSha256Hex(chars, destination);
    }

    private static S3Exception Malformed(string message) => new(S3ErrorCode.InvalidRequest, message);

    private static S3Exception Incomplete() => new(S3ErrorCode.IncompleteBody, "The aws-chunked body ended before its declared length and final chunk.");
}
