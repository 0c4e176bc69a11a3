using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace ComIO.Bench.Soak;

/// <summary>
/// One soak client: a closed loop of mixed S3 operations on its own key prefix (<c>cNN/</c>), so it knows exactly what
/// must exist. Every object's bytes are <see cref="SoakContent"/> of a per-write seed; GETs (full and ranged) are
/// compared byte for byte, HEADs and PUTs check size and ETag (MD5, or MD5-of-MD5s for multipart), LISTs must return
/// exactly the live keys and sizes, and a deleted key must answer 404. Any exception or mismatch is an error.
/// </summary>
internal sealed class SoakWorker(int id, IAmazonS3 s3, string bucket, int seed, SoakErrors errors)
{
    public const int MaxLiveKeys = 48;
    private const int PartSize = 5 << 20;
    private readonly Random _random = new(seed);
    private readonly Dictionary<string, SoakObject> _live = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];
    private readonly string _prefix = string.Create(CultureInfo.InvariantCulture, $"c{id:D2}/");
    private long _nextKey;
    private long _operations;

    public OperationLog Log { get; } = new();

    /// <summary>Operations finished so far (read by the progress line while the loop runs).</summary>
    public long Operations => Interlocked.Read(ref _operations);

    public long BytesWritten { get; private set; }

    public long BytesRead { get; private set; }

    public IReadOnlyDictionary<string, SoakObject> Live => _live;

    public async Task RunAsync(DateTime deadlineUtc, CancellationToken ct)
    {
        while (DateTime.UtcNow < deadlineUtc && !ct.IsCancellationRequested)
        {
            var roll = _random.NextDouble();
            var kind = _live.Count < 4 || roll < 0.22 ? "put"
                : roll < 0.27 ? "put_large"
                : roll < 0.29 ? "multipart"
                : roll < 0.50 ? "get"
                : roll < 0.57 ? "get_range"
                : roll < 0.72 ? "head"
                : roll < 0.84 ? "delete"
                : "list";
            var started = Stopwatch.GetTimestamp();
            try
            {
                var recorded = kind switch
                {
                    "put" => await PutAsync(SmallSize(), "put", ct),
                    "put_large" => await PutAsync(_random.Next((1 << 20) + 1, (8 << 20) + 1), "put_large", ct),
                    "multipart" => await MultipartAsync(ct),
                    "get" => await GetAsync(ranged: false, ct),
                    "get_range" => await GetAsync(ranged: true, ct),
                    "head" => await HeadAsync(ct),
                    "delete" => await DeleteAsync(ct),
                    _ => await ListAsync(ct),
                };
                Log.Add(recorded, started);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                errors.Add(kind, ex is SoakMismatchException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}");
                Log.Add(kind + " (failed)", started);
            }

            Interlocked.Increment(ref _operations);
        }
    }

    private int SmallSize()
    {
        var roll = _random.NextDouble();
        return roll < 0.5 ? _random.Next(1, (16 << 10) + 1)
            : roll < 0.9 ? _random.Next(16 << 10, (256 << 10) + 1)
            : _random.Next(256 << 10, (1 << 20) + 1);
    }

    /// <summary>A new key, or an existing one (an overwrite) 30 % of the time and always once the client holds its cap.</summary>
    private string PickPutKey()
    {
        if (_keys.Count > 0 && (_keys.Count >= MaxLiveKeys || _random.NextDouble() < 0.3))
        {
            return _keys[_random.Next(_keys.Count)];
        }

        return string.Create(CultureInfo.InvariantCulture, $"{_prefix}{(_nextKey % 3 == 0 ? "d/" : "")}{_nextKey++:D7}");
    }

    private async Task<string> PutAsync(int size, string kind, CancellationToken ct)
    {
        var key = PickPutKey();
        var objectSeed = (ulong)_random.NextInt64();
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            SoakContent.Fill(buffer.AsSpan(0, size), objectSeed, 0);
            var md5 = Convert.ToHexStringLower(MD5.HashData(buffer.AsSpan(0, size)));
            using var body = new MemoryStream(buffer, 0, size, writable: false);
            var response = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false }, ct);
            var etag = response.ETag.Trim('"');
            Require(etag == md5, $"PUT {key}: ETag {etag}, expected {md5}");
            Remember(key, new SoakObject(objectSeed, size, etag));
            BytesWritten += size;
            return kind;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<string> MultipartAsync(CancellationToken ct)
    {
        var key = PickPutKey();
        var objectSeed = (ulong)_random.NextInt64();
        var parts = 2;
        long size = (long)parts * PartSize + _random.Next(1, (3 << 20) + 1);
        var abort = _random.NextDouble() < 0.2;
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, ct);
        var etags = new List<PartETag>();
        var md5s = new List<byte[]>();
        var buffer = ArrayPool<byte>.Shared.Rent(PartSize);
        try
        {
            for (var part = 1; part <= parts + 1; part++)
            {
                var offset = (long)(part - 1) * PartSize;
                var length = (int)Math.Min(PartSize, size - offset);
                SoakContent.Fill(buffer.AsSpan(0, length), objectSeed, offset);
                md5s.Add(MD5.HashData(buffer.AsSpan(0, length)));
                using var body = new MemoryStream(buffer, 0, length, writable: false);
                var response = await s3.UploadPartAsync(
                    new UploadPartRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartNumber = part, InputStream = body }, ct);
                etags.Add(new PartETag(part, response.ETag));
                BytesWritten += length;
                if (abort)
                {
                    await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId }, ct);
                    return "multipart_abort";
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var completed = await s3.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = etags }, ct);
        var expected = Convert.ToHexStringLower(MD5.HashData(md5s.SelectMany(m => m).ToArray())) + "-" + md5s.Count.ToString(CultureInfo.InvariantCulture);
        var etag = completed.ETag.Trim('"');
        Require(etag == expected, $"multipart {key}: ETag {etag}, expected {expected}");
        Remember(key, new SoakObject(objectSeed, size, etag));
        return "multipart";
    }

    private async Task<string> GetAsync(bool ranged, CancellationToken ct)
    {
        var (key, item) = PickLive();
        long start = 0;
        var length = item.Size;
        var request = new GetObjectRequest { BucketName = bucket, Key = key };
        if (ranged && item.Size > 1)
        {
            start = _random.NextInt64(item.Size - 1);
            length = Math.Min(item.Size - start, _random.NextInt64(1, 1 << 20));
            request.ByteRange = new ByteRange(start, start + length - 1);
        }

        using var response = await s3.GetObjectAsync(request, ct);
        Require(response.ContentLength == length, $"GET {key}: Content-Length {response.ContentLength}, expected {length}");
        var chunk = ArrayPool<byte>.Shared.Rent(64 << 10);
        var expected = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            long read = 0;
            int n;
            while ((n = await response.ResponseStream.ReadAsync(chunk.AsMemory(0, 64 << 10), ct)) > 0)
            {
                Require(read + n <= length, $"GET {key}: more than {length} bytes");
                SoakContent.Fill(expected.AsSpan(0, n), item.Seed, start + read);
                if (!chunk.AsSpan(0, n).SequenceEqual(expected.AsSpan(0, n)))
                {
                    throw new SoakMismatchException($"GET {key}: bytes differ in [{start + read}, {start + read + n})");
                }

                read += n;
            }

            Require(read == length, $"GET {key}: {read} bytes, expected {length}");
            BytesRead += read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            ArrayPool<byte>.Shared.Return(expected);
        }

        return ranged && request.ByteRange is not null ? "get_range" : "get";
    }

    private async Task<string> HeadAsync(CancellationToken ct)
    {
        var (key, item) = PickLive();
        var response = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, ct);
        Require(response.ContentLength == item.Size, $"HEAD {key}: Content-Length {response.ContentLength}, expected {item.Size}");
        Require(response.ETag.Trim('"') == item.ETag, $"HEAD {key}: ETag {response.ETag}, expected {item.ETag}");
        return "head";
    }

    private async Task<string> DeleteAsync(CancellationToken ct)
    {
        var (key, _) = PickLive();
        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, ct);
        Forget(key);
        if (_random.NextDouble() < 0.25)
        {
            try
            {
                await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, ct);
                throw new SoakMismatchException($"HEAD {key} after DELETE: the object still exists");
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
            }
        }

        return "delete";
    }

    private async Task<string> ListAsync(CancellationToken ct)
    {
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var response = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket, Prefix = _prefix, MaxKeys = 20, ContinuationToken = token }, ct);
            foreach (var entry in response.S3Objects ?? [])
            {
                seen[entry.Key] = entry.Size ?? -1;
            }

            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);

        Require(seen.Count == _live.Count, $"LIST {_prefix}: {seen.Count} keys, expected {_live.Count}");
        foreach (var (key, item) in _live)
        {
            Require(seen.TryGetValue(key, out var size) && size == item.Size, $"LIST {_prefix}: {key} missing or wrong size");
        }

        return "list";
    }

    private (string Key, SoakObject Item) PickLive()
    {
        if (_keys.Count == 0)
        {
            throw new InvalidOperationException("no live key (the loop writes before reading)");
        }

        var key = _keys[_random.Next(_keys.Count)];
        return (key, _live[key]);
    }

    private void Remember(string key, SoakObject item)
    {
        if (!_live.ContainsKey(key))
        {
            _keys.Add(key);
        }

        _live[key] = item;
    }

    private void Forget(string key)
    {
        _live.Remove(key);
        var index = _keys.IndexOf(key);
        _keys[index] = _keys[^1];
        _keys.RemoveAt(_keys.Count - 1);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new SoakMismatchException(message);
        }
    }
}
