using ComIO.Storage.Allocation;
using ComIO.Storage.Tests.Support;
using FsCheck.Xunit;
using TestData = ComIO.Storage.Tests.Support.TestData;

namespace ComIO.Storage.Tests;

/// <summary>
/// Model-based checks mixing plain objects and multipart uploads (parts, replace, complete with subsets, abort, reopen):
/// live objects and live parts never share a block, and free space is exactly capacity minus what they hold.
/// </summary>
public sealed class MultipartPropertyTests
{
    private const int MiB = 1024 * 1024;

    [Property(MaxTest = 15, EndSize = 60)]
    public bool Operations_MatchModel_AndObjectsAndPartsNeverShareOrLeakBlocks(int[] operations)
    {
        return Task.Run(() => RunAsync(operations ?? [])).GetAwaiter().GetResult();
    }

    private static readonly byte[] Map = [0, 0, 1, 2, 3, 3, 3, 3, 4, 4, 5, 6];

    private sealed record Upload(string Key, Dictionary<int, byte[]> Parts);

    private static async Task<bool> RunAsync(int[] operations)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, capacity: 24L * MiB, inlineThreshold: 1024, chunkSize: 4096);
        var engine = harness.Engine;
        var ct = CancellationToken.None;
        await engine.CreateBucketAsync("b", ct);
        var objects = new Dictionary<string, byte[]>();
        var uploads = new Dictionary<string, Upload>();
        var seed = 0;
        for (var index = 0; index < operations.Length; index++)
        {
            // FsCheck generates small integers; a generator seeded by the integer and its position spreads every choice.
            var random = new Random(unchecked((operations[index] * 7919) + (index * 104_729)));
            var key = $"k{random.Next(3)}";
            var ids = uploads.Keys.Order(StringComparer.Ordinal).ToList();
            var id = ids.Count == 0 ? null : ids[random.Next(ids.Count)];
            // Weights: put 2, delete 1, create upload 1, put part 4, complete 2, abort 1, reopen 1.
            switch ((int)Map[random.Next(Map.Length)])
            {
                case 0:
                    var data = TestData.Random(random.Next(600_000), seed++);
                    var put = await engine.PutAsync("b", key, data);
                    if (put.Status == EngineStatus.Ok)
                    {
                        objects[key] = data;
                    }
                    else if (put.Status != EngineStatus.InsufficientStorage)
                    {
                        return false;
                    }

                    break;
                case 1:
                    if (await engine.DeleteObjectAsync("b", key, ct) != (objects.Remove(key) ? EngineStatus.Ok : EngineStatus.NoSuchKey))
                    {
                        return false;
                    }

                    break;
                case 2:
                    var created = await engine.CreateMultipartUploadAsync(new CreateUploadRequest { Bucket = "b", Key = key }, ct);
                    uploads[created.Upload!.UploadId] = new Upload(key, []);
                    break;
                case 3:
                    if (id is null)
                    {
                        break;
                    }

                    var partNumber = random.Next(1, 4);
                    var size = random.Next(2) == 0 ? (5 * MiB) + random.Next(5000) : random.Next(300_000);
                    var part = TestData.Random(size, seed++);
                    using (var body = new MemoryStream(part))
                    {
                        var request = new PutPartRequest { Bucket = "b", Key = uploads[id].Key, UploadId = id, PartNumber = partNumber, ContentLength = size };
                        var result = await engine.PutPartAsync(request, body, ct);
                        if (result.Status == EngineStatus.Ok)
                        {
                            uploads[id].Parts[partNumber] = part;
                        }
                        else if (result.Status != EngineStatus.InsufficientStorage)
                        {
                            return false;
                        }
                    }

                    break;
                case 4:
                    if (id is null)
                    {
                        break;
                    }

                    var upload = uploads[id];
                    var subset = random.Next(1, 8);
                    var listed = upload.Parts.Keys.Order().Where((_, i) => (subset & (1 << i)) != 0).ToList();
                    var corruptETag = random.Next(7) == 0;
                    var parts = listed.Select((n, i) => new CompletedPart(n, corruptETag && i == 0 ? "0000" : TestData.Md5Hex(upload.Parts[n]))).ToList();
                    var expected = listed.Count == 0 || corruptETag ? EngineStatus.InvalidPart
                        : listed.SkipLast(1).Any(n => upload.Parts[n].Length < 5 * MiB) ? EngineStatus.EntityTooSmall
                        : EngineStatus.Ok;
                    var completed = await engine.CompleteMultipartUploadAsync("b", upload.Key, id, parts, ct);
                    if (completed.Status != expected)
                    {
                        return false;
                    }

                    if (expected == EngineStatus.Ok)
                    {
                        objects[upload.Key] = listed.SelectMany(n => upload.Parts[n]).ToArray();
                        uploads.Remove(id);
                    }

                    break;
                case 5:
                    if (id is null)
                    {
                        break;
                    }

                    if (await engine.AbortMultipartUploadAsync("b", uploads[id].Key, id, ct) != EngineStatus.Ok)
                    {
                        return false;
                    }

                    uploads.Remove(id);
                    break;
                default:
                    engine = await harness.ReopenAsync();
                    break;
            }

            if (!CheckInvariants(engine, objects, uploads))
            {
                return false;
            }
        }

        foreach (var (key, data) in objects)
        {
            var stored = await engine.ReadAllAsync("b", key);
            if (!data.AsSpan().SequenceEqual(stored))
            {
                return false;
            }
        }

        return (await engine.ScrubAsync(ct)).Findings.Count == 0;
    }

    private static bool CheckInvariants(StorageEngine engine, Dictionary<string, byte[]> objects, Dictionary<string, Upload> uploads)
    {
        var listed = engine.ListObjects("b", null, null, 100).Objects;
        if (!listed.Select(o => o.Key).SequenceEqual(objects.Keys.Order(StringComparer.Ordinal)))
        {
            return false;
        }

        var extents = new List<Extent>();
        foreach (var record in listed)
        {
            if (record.Size != objects[record.Key].Length)
            {
                return false;
            }

            extents.AddRange(engine.GetObject("b", record.Key)!.Extents);
        }

        var listedUploads = engine.ListMultipartUploads("b", null, null, null, 1000).Uploads;
        if (!listedUploads.Select(u => u.UploadId).Order(StringComparer.Ordinal).SequenceEqual(uploads.Keys.Order(StringComparer.Ordinal)))
        {
            return false;
        }

        foreach (var (id, upload) in uploads)
        {
            var parts = engine.ListParts("b", upload.Key, id, 0, 100).Parts;
            if (!parts.Select(p => (p.PartNumber, p.Size)).SequenceEqual(upload.Parts.OrderBy(p => p.Key).Select(p => (p.Key, (long)p.Value.Length))))
            {
                return false;
            }

            extents.AddRange(parts.SelectMany(p => p.Data.Extents));
        }

        extents.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        for (var i = 1; i < extents.Count; i++)
        {
            if (extents[i - 1].End > extents[i].Offset)
            {
                return false;
            }
        }

        var stats = engine.GetStats();
        return stats.FreeBytes == stats.Capacity - extents.Sum(e => e.Length) && stats.ObjectCount == objects.Count;
    }
}
