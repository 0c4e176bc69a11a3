using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ComIO.IntegrationTests.Faults;

/// <summary>
/// A seeded mixed S3 workload (PUT small/medium/large, overwrite, GET, HEAD, DELETE, multipart, LIST) run by several
/// workers, each on its own key prefix, so every key has one writer and its <see cref="KeyModel"/> is exact. Failures
/// of server or network kind are expected while a fault is active and only make the key's outcome uncertain; anything
/// served that the model does not allow (wrong bytes, a lost or resurrected key, a listing that disagrees) is a
/// violation. The operation sequence of each worker is fixed by the seed; outcomes depend on when faults hit.
/// </summary>
public sealed class MixedWorkload(IAmazonS3 s3, string bucket, int seed, Func<bool> faultActive)
{
    private const int MultipartFirstPart = 5 * 1024 * 1024;

    public ConcurrentDictionary<string, KeyModel> Keys { get; } = new(StringComparer.Ordinal);

    public WorkloadCounters Counters { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    private int _largeInFlight;

    /// <summary>Requests carrying 1 MiB or more in flight now (the fault injector prefers to strike during one).</summary>
    public int LargeInFlight => Volatile.Read(ref _largeInFlight);

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="stop"/>; requests use <paramref name="ct"/>.</summary>
    public Task RunAsync(int workers, CancellationToken stop, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() => WorkerAsync(w, stop, ct), ct)));

    private async Task WorkerAsync(int worker, CancellationToken stop, CancellationToken ct)
    {
        var random = new Random(unchecked(seed + (7919 * (worker + 1))));
        var live = new List<string>();
        var deleted = new List<string>();
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var roll = random.Next(100);
            var started = Stopwatch.GetTimestamp();
            var failed = roll switch
            {
                _ when live.Count == 0 || roll < 28 => await PutAsync(random, NewKey(worker, n), ct),
                < 38 => await PutAsync(random, Pick(random, live), ct),
                < 60 => await GetAsync(Pick(random, live), ct),
                < 64 when deleted.Count > 0 => await GetAsync(Pick(random, deleted), ct),
                < 68 => await HeadAsync(Pick(random, live), ct),
                < 80 => await DeleteAsync(Pick(random, live), ct),
                < 92 => await ListAsync($"w{worker}/", ct),
                _ => await MultipartAsync(random, NewKey(worker, n), ct),
            };
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > TimeSpan.FromSeconds(2))
            {
                Counters.Add(faultActive() ? "slow.during_fault" : "slow.outside_fault");
            }

            Counters.Max("latency.max_ms", (long)elapsed.TotalMilliseconds);

            // Keep the lists in step with the model: uncertain keys leave the workload, deleted keys are re-read now and then.
            live.Clear();
            deleted.Clear();
            foreach (var (key, model) in Keys)
            {
                if (key.StartsWith($"w{worker}/", StringComparison.Ordinal) && model.IsCertain)
                {
                    (model.Current is null ? deleted : live).Add(key);
                }
            }

            live.Sort(StringComparer.Ordinal);
            deleted.Sort(StringComparer.Ordinal);
            if (failed)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static string NewKey(int worker, int n) => $"w{worker}/k{n:D6}";

    private static string Pick(Random random, List<string> keys) => keys[random.Next(keys.Count)];

    private async Task<bool> PutAsync(Random random, string key, CancellationToken ct)
    {
        var size = random.Next(100) switch
        {
            < 55 => random.Next(1, 16 * 1024),
            < 90 => random.Next(20_000, 600_000),
            _ => random.Next(1, 8) * 1024 * 1024 + random.Next(4096),
        };
        var data = new byte[size];
        random.NextBytes(data);
        var version = new ObjectVersion(size, [size], Hash(data));
        var model = Keys.GetOrAdd(key, _ => new KeyModel());
        return await MutateAsync("put", model, version, async () =>
        {
            var large = size >= 1024 * 1024;
            if (large)
            {
                Interlocked.Increment(ref _largeInFlight);
            }

            try
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(data) }, ct);
            }
            finally
            {
                if (large)
                {
                    Interlocked.Decrement(ref _largeInFlight);
                }
            }
        });
    }

    private async Task<bool> MultipartAsync(Random random, string key, CancellationToken ct)
    {
        var second = random.Next(64 * 1024, 1024 * 1024);
        var data = new byte[MultipartFirstPart + second];
        random.NextBytes(data);
        var version = new ObjectVersion(data.Length, [MultipartFirstPart, second], Hash(data));
        var model = Keys.GetOrAdd(key, _ => new KeyModel());
        return await MutateAsync("multipart", model, version, async () =>
        {
            Interlocked.Increment(ref _largeInFlight);
            try
            {
                await UploadAsync();
            }
            finally
            {
                Interlocked.Decrement(ref _largeInFlight);
            }
        });

        async Task UploadAsync()
        {
            var upload = await s3.InitiateMultipartUploadAsync(bucket, key, ct);
            var etags = new List<PartETag>();
            foreach (var (number, offset, length) in new[] { (1, 0, MultipartFirstPart), (2, MultipartFirstPart, second) })
            {
                var part = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    InputStream = new MemoryStream(data, offset, length),
                }, ct);
                etags.Add(new PartETag(number, part.ETag));
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = upload.UploadId, PartETags = etags }, ct);
        }
    }

    private async Task<bool> DeleteAsync(string key, CancellationToken ct) =>
        await MutateAsync("delete", Keys[key], null, async () => await s3.DeleteObjectAsync(bucket, key, ct));

    private async Task<bool> MutateAsync(string kind, KeyModel model, ObjectVersion? outcome, Func<Task> operation)
    {
        Counters.Add("op." + kind);
        try
        {
            await operation();
            model.Acknowledge(outcome);
            return false;
        }
        catch (Exception e) when (IsRequestFailure(e))
        {
            model.MaybeChanged(outcome);
            CountFailure(kind, e);
            return true;
        }
        catch (AmazonS3Exception e)
        {
            model.MaybeChanged(outcome);
            Violations.Enqueue($"{kind}: unexpected {(int)e.StatusCode} {e.ErrorCode}: {e.Message}");
            return true;
        }
    }

    private async Task<bool> GetAsync(string key, CancellationToken ct)
    {
        Counters.Add("op.get");
        try
        {
            var sha = await ReadHashAsync(s3, bucket, key, ct);
            Check(key, sha, "GET");
            return false;
        }
        catch (Exception e) when (IsRequestFailure(e))
        {
            CountFailure("get", e);
            return true;
        }
        catch (AmazonS3Exception e)
        {
            Violations.Enqueue($"get: unexpected {(int)e.StatusCode} {e.ErrorCode}: {e.Message}");
            return true;
        }
    }

    private async Task<bool> HeadAsync(string key, CancellationToken ct)
    {
        Counters.Add("op.head");
        try
        {
            var head = await s3.GetObjectMetadataAsync(bucket, key, ct);
            if (Keys[key] is { IsCertain: true, Current: { } current } && head.ContentLength != current.Length)
            {
                Violations.Enqueue($"HEAD {key}: length {head.ContentLength}, acknowledged {current.Length}");
            }

            return false;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            Check(key, null, "HEAD");
            return false;
        }
        catch (Exception e) when (IsRequestFailure(e))
        {
            CountFailure("head", e);
            return true;
        }
        catch (AmazonS3Exception e)
        {
            Violations.Enqueue($"head: unexpected {(int)e.StatusCode} {e.ErrorCode}: {e.Message}");
            return true;
        }
    }

    private async Task<bool> ListAsync(string prefix, CancellationToken ct)
    {
        Counters.Add("op.list");
        try
        {
            var listed = await ListKeysAsync(s3, bucket, prefix, ct);
            foreach (var (key, model) in Keys)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal) && model.IsCertain && listed.ContainsKey(key) != (model.Current is not null))
                {
                    Violations.Enqueue($"LIST {prefix}: {key} {(listed.ContainsKey(key) ? "listed but deleted" : "acknowledged but not listed")}");
                }
            }

            foreach (var key in listed.Keys.Where(k => !Keys.ContainsKey(k)))
            {
                Violations.Enqueue($"LIST {prefix}: unknown key {key}");
            }

            return false;
        }
        catch (Exception e) when (IsRequestFailure(e))
        {
            CountFailure("list", e);
            return true;
        }
        catch (AmazonS3Exception e)
        {
            Violations.Enqueue($"list: unexpected {(int)e.StatusCode} {e.ErrorCode}: {e.Message}");
            return true;
        }
    }

    /// <summary>Records a violation unless the key's model allows <paramref name="sha256"/> (null = absent).</summary>
    public void Check(string key, string? sha256, string what)
    {
        var model = Keys[key];
        if (!model.Allows(sha256))
        {
            var expected = model.IsCertain ? (model.Current is null ? "acknowledged delete" : "acknowledged write") : "any of its uncertain outcomes";
            Violations.Enqueue($"{what} {key}: served {(sha256 is null ? "not found" : "bytes " + sha256[..12])}, model allows {expected}"
                + (model.IsCertain && model.Current is not null && sha256 is null ? " (LOST)" : ""));
        }
    }

    /// <summary>The object's SHA-256 (hex), or null when it does not exist (404).</summary>
    public static async Task<string?> ReadHashAsync(IAmazonS3 s3, string bucket, string key, CancellationToken ct)
    {
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, ct);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[81920];
            int read;
            while ((read = await response.ResponseStream.ReadAsync(buffer, ct)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return Convert.ToHexString(hash.GetHashAndReset());
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchKey")
        {
            return null;
        }
    }

    /// <summary>Every key under <paramref name="prefix"/> with its size, following continuation tokens.</summary>
    public static async Task<Dictionary<string, long>> ListKeysAsync(IAmazonS3 s3, string bucket, string prefix, CancellationToken ct)
    {
        var keys = new Dictionary<string, long>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, ct);
            foreach (var o in page.S3Objects ?? [])
            {
                keys[o.Key] = o.Size ?? 0;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    /// <summary>Failures a killed process may cause: server errors, refused or reset connections, timeouts.</summary>
    public static bool IsRequestFailure(Exception e) => e switch
    {
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode == 0 || s3.InnerException is HttpRequestException or IOException,
        AmazonServiceException or AmazonClientException => true,
        HttpRequestException or IOException or SocketException => true,
        TaskCanceledException or TimeoutException => true,
        _ => false,
    };

    private void CountFailure(string kind, Exception e)
    {
        Counters.Add("failed." + kind);
        Counters.Add(faultActive() ? "failed.during_fault" : "failed.outside_fault");
        Counters.Add("error." + (e is AmazonS3Exception s3e && s3e.StatusCode != 0 ? $"{(int)s3e.StatusCode} {s3e.ErrorCode}" : e.GetType().Name));
    }

    private static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}
