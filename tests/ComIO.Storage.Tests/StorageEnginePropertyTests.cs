using ComIO.Storage.Allocation;
using ComIO.Storage.Tests.Support;
using FsCheck.Xunit;
using TestData = ComIO.Storage.Tests.Support.TestData;

namespace ComIO.Storage.Tests;

/// <summary>Model-based checks: random put/overwrite/delete/reopen sequences against a dictionary model.</summary>
public sealed class StorageEnginePropertyTests
{
    [Property(MaxTest = 20, EndSize = 40)]
    public bool Operations_MatchModel_AndNeverShareOrLeakBlocks(int[] operations)
    {
        return Task.Run(() => RunAsync(operations ?? [])).GetAwaiter().GetResult();
    }

    private static async Task<bool> RunAsync(int[] operations)
    {
        await using var harness = await EngineHarness.CreateAsync(DeviceType.Memory, capacity: 4L * 1024 * 1024, inlineThreshold: 1024, chunkSize: 4096);
        var engine = harness.Engine;
        await engine.CreateBucketAsync("b", CancellationToken.None);
        var model = new Dictionary<string, byte[]>();
        var seed = 0;
        foreach (var operation in operations)
        {
            var value = (uint)operation;
            var key = $"k{value % 5}";
            switch (value / 5 % 6)
            {
                case 0:
                case 1:
                case 2:
                    var data = TestData.Random((int)(value / 30 % 1_500_000), seed++);
                    var put = await engine.PutAsync("b", key, data);
                    if (put.Status == EngineStatus.Ok)
                    {
                        model[key] = data;
                    }
                    else if (put.Status != EngineStatus.InsufficientStorage)
                    {
                        return false;
                    }

                    break;
                case 3:
                case 4:
                    var deleted = await engine.DeleteObjectAsync("b", key, CancellationToken.None);
                    if (deleted != (model.Remove(key) ? EngineStatus.Ok : EngineStatus.NoSuchKey))
                    {
                        return false;
                    }

                    break;
                default:
                    engine = await harness.ReopenAsync();
                    break;
            }

            if (!CheckInvariants(engine, model))
            {
                return false;
            }
        }

        foreach (var (key, data) in model)
        {
            var stored = await engine.ReadAllAsync("b", key);
            if (!data.AsSpan().SequenceEqual(stored))
            {
                return false;
            }
        }

        return true;
    }

    private static bool CheckInvariants(StorageEngine engine, Dictionary<string, byte[]> model)
    {
        var listed = engine.ListObjects("b", null, null, 100).Objects;
        if (!listed.Select(o => o.Key).SequenceEqual(model.Keys.OrderBy(k => k, StringComparer.Ordinal)))
        {
            return false;
        }

        var extents = new List<Extent>();
        foreach (var record in listed)
        {
            if (record.Size != model[record.Key].Length)
            {
                return false;
            }

            extents.AddRange(engine.GetObject("b", record.Key)!.Extents);
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
        return stats.FreeBytes == stats.Capacity - extents.Sum(e => e.Length) && stats.ObjectCount == model.Count;
    }
}
