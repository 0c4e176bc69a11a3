using ComIO.Storage;

namespace ComIO.Bench;

/// <summary>
/// Formats the benchmark device image afresh (force: its blocks stay allocated in the file system from the fio layout
/// pass, so the engine and fio write to the same already-allocated blocks), creates an empty metadata directory, opens
/// the engine and creates the benchmark bucket.
/// </summary>
internal static class EngineFixture
{
    public const string Bucket = "bench";

    public static async Task<StorageEngine> OpenFreshAsync(BenchArguments arguments, int inlineThreshold)
    {
        var device = arguments.Required("device");
        var metadata = arguments.Required("metadata");
        if (Directory.Exists(metadata))
        {
            Directory.Delete(metadata, recursive: true);
        }

        DeviceFormatter.Format(device, sizeBytes: 0, force: true);
        var engine = await StorageEngine.OpenAsync(new StorageEngineOptions
        {
            DevicePath = device,
            MetadataPath = metadata,
            InlineThreshold = inlineThreshold,
            CommitGatherDelay = TimeSpan.FromMilliseconds(arguments.Double("gather-delay-ms", 1)),
        });
        var status = await engine.CreateBucketAsync(Bucket);
        if (status != EngineStatus.Ok)
        {
            await engine.DisposeAsync();
            throw new InvalidOperationException($"CreateBucket returned {status}.");
        }

        return engine;
    }

    public static PutObjectRequest Request(string key, long length) => new()
    {
        Bucket = Bucket,
        Key = key,
        ContentLength = length,
    };
}
