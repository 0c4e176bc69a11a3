using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.Cli.Commands;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Transfers;

/// <summary>
/// The multipart upload of one local file by <c>comio object put</c>, resumable across runs. The upload id and part size
/// are saved (<see cref="UploadStateStore"/>) before the first part is sent; a later run of the same command (same
/// endpoint, bucket, key, file path, and the file unchanged in size and modification time) lists the upload's parts,
/// keeps every part whose size and ETag equal the local part's length and MD5, uploads only the rest, completes and
/// deletes the state. An upload that no longer exists on the server starts over; a saved upload of the same target whose
/// local file has changed is aborted and its state deleted. Parts go up <see cref="Parallelism"/> at a time.
/// With <c>resume: false</c> nothing is saved and a failed upload is aborted (the old behaviour).
/// </summary>
public sealed class ResumableUpload(IAmazonS3 s3, ConnectionOptions options, UploadStateStore store)
{
    public const long MinPartSize = 8L * 1024 * 1024;
    public const int Parallelism = 4;
    private const int MaxParts = 10_000;

    /// <summary>Part size: 8 MiB, or larger (whole MiB) when the file would otherwise need more than 10,000 parts.</summary>
    public static long PartSizeFor(long size)
    {
        var needed = (size + MaxParts - 1) / MaxParts;
        var mib = 1L << 20;
        return Math.Max(MinPartSize, (needed + mib - 1) / mib * mib);
    }

    public async Task<UploadOutcome> RunAsync(string endpoint, S3Path target, string file, string? contentType, bool resume, RateLimiter? limiter, CancellationToken ct)
    {
        var info = new FileInfo(file);
        var fullPath = info.FullName;
        var size = info.Length;
        var modified = info.LastWriteTimeUtc.Ticks;
        var parts = new Dictionary<int, string>(); // part number -> ETag, for parts already on the server
        UploadState? state = null;
        if (resume)
        {
            var identity = new UploadState(UploadState.CurrentVersion, endpoint, target.Bucket, target.Key!, fullPath, size, modified, "", 0, DateTime.UtcNow);
            foreach (var stale in store.FindStale(identity))
            {
                await AbortQuietlyAsync(stale.Bucket, stale.Key, stale.UploadId, ct);
                store.Delete(stale);
                Messages.Info(options, $"{file} changed since upload {stale.UploadId} was interrupted: aborted it, starting over");
            }

            state = store.Load(endpoint, target.Bucket, target.Key!, fullPath, size, modified);
            if (state is not null)
            {
                var listed = await ListPartsAsync(state, ct);
                if (listed is null)
                {
                    Messages.Info(options, $"upload {state.UploadId} of {target} no longer exists on the server: starting over");
                    store.Delete(state);
                    state = null;
                }
                else
                {
                    await KeepMatchingPartsAsync(state, fullPath, listed, parts, ct);
                    Messages.Info(options, string.Create(CultureInfo.InvariantCulture,
                        $"resuming upload {state.UploadId} of {target}: {parts.Count} of {state.PartCount} parts already uploaded"));
                }
            }
        }

        if (state is null)
        {
            var created = await s3.InitiateMultipartUploadAsync(
                new InitiateMultipartUploadRequest { BucketName = target.Bucket, Key = target.Key, ContentType = contentType }, ct);
            state = new UploadState(UploadState.CurrentVersion, endpoint, target.Bucket, target.Key!, fullPath, size, modified, created.UploadId, PartSizeFor(size), DateTime.UtcNow);
            if (resume)
            {
                store.Save(state);
            }
        }

        var resumedParts = parts.Count;
        var missing = Enumerable.Range(1, state.PartCount).Where(n => !parts.ContainsKey(n)).ToList();
        long done = parts.Keys.Sum(state.PartLength);
        try
        {
            await TransferProgress.RunAsync($"put {target}", size, options.Quiet, async report =>
            {
                report(done);
                await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (number, token) =>
                {
                    await using var body = new FileSegmentStream(fullPath, (number - 1) * state.PartSize, state.PartLength(number), limiter);
                    var request = new UploadPartRequest
                    {
                        BucketName = state.Bucket,
                        Key = state.Key,
                        UploadId = state.UploadId,
                        PartNumber = number,
                        InputStream = body,
                    };
                    request.StreamTransferProgress += (_, e) => report(Math.Min(Interlocked.Add(ref done, e.IncrementTransferred), size));
                    var response = await s3.UploadPartAsync(request, token);
                    lock (parts)
                    {
                        parts[number] = response.ETag;
                    }
                });
            });

            var completed = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = state.Bucket,
                Key = state.Key,
                UploadId = state.UploadId,
                PartETags = parts.OrderBy(p => p.Key).Select(p => new PartETag(p.Key, p.Value)).ToList(),
            }, ct);
            if (resume)
            {
                store.Delete(state);
            }

            return new UploadOutcome(size, completed.ETag, state.PartCount, resumedParts, missing.Count);
        }
        catch (Exception) when (resume)
        {
            Messages.Info(options, $"upload {state.UploadId} of {target} interrupted; run the same command again to resume it ({parts.Count} of {state.PartCount} parts uploaded)");
            throw;
        }
        catch (Exception)
        {
            await AbortQuietlyAsync(state.Bucket, state.Key, state.UploadId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Every part the server lists for the saved upload, or null when the upload no longer exists.</summary>
    private async Task<List<PartDetail>?> ListPartsAsync(UploadState state, CancellationToken ct)
    {
        var all = new List<PartDetail>();
        string? marker = null;
        try
        {
            while (true)
            {
                var page = await s3.ListPartsAsync(new ListPartsRequest { BucketName = state.Bucket, Key = state.Key, UploadId = state.UploadId, PartNumberMarker = marker }, ct);
                all.AddRange(page.Parts ?? []);
                if (page.IsTruncated != true || page.NextPartNumberMarker is null)
                {
                    return all;
                }

                marker = page.NextPartNumberMarker.Value.ToString(CultureInfo.InvariantCulture);
            }
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex.ErrorCode == "NoSuchUpload")
        {
            return null;
        }
    }

    /// <summary>Keeps the listed parts whose size and ETag match the local file's part (MD5); others are uploaded again.</summary>
    private static async Task KeepMatchingPartsAsync(UploadState state, string path, List<PartDetail> listed, Dictionary<int, string> parts, CancellationToken ct)
    {
        foreach (var part in listed)
        {
            if (part.PartNumber is not { } number || number < 1 || number > state.PartCount || part.Size != state.PartLength(number))
            {
                continue;
            }

            await using var segment = new FileSegmentStream(path, (number - 1) * state.PartSize, state.PartLength(number), limiter: null);
            var md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(segment, ct));
            if (string.Equals(part.ETag?.Trim('"'), md5, StringComparison.OrdinalIgnoreCase))
            {
                parts[number] = part.ETag!;
            }
        }
    }

    private async Task AbortQuietlyAsync(string bucket, string key, string uploadId, CancellationToken ct)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, ct);
        }
        catch (AmazonS3Exception)
        {
            // Already gone (completed, aborted or expired by lifecycle): nothing to clean up.
        }
        catch (HttpRequestException)
        {
        }
    }
}
