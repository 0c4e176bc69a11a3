using ComIO.Storage.Metadata;
using ComIO.Storage.Tests.Support;
using RocksDbSharp;

namespace ComIO.Storage.Tests;

/// <summary>
/// The metadata store overwrites old write-ahead log files instead of creating new ones
/// (<see cref="MetadataStore.WalFilesKeptForReuse"/>). A recycled log's tail still holds the records of its earlier use;
/// recovery from a crash must stop where the new records end and never replay the old ones.
/// </summary>
public sealed class WalRecyclingTests
{
    private const int OldBatches = 200;
    private const int PutsPerBatch = 10;
    private static readonly byte[] Value = TestData.Random(4096, 7);

    [Fact]
    public void CrashImage_WhoseLogIsRecycled_RecoversTheNewRecordsAndNoneOfTheOldUse()
    {
        using var directory = new TempDirectory();
        var live = directory.Combine("live");
        var image = directory.Combine("image");
        long oldLogBytes;
        using (var store = MetadataStore.Open(live))
        {
            // The first log: keys that are deleted later. Its file is kept for reuse once the memtable is flushed.
            for (var b = 0; b < OldBatches; b++)
            {
                using var batch = new WriteBatch();
                for (var i = 0; i < PutsPerBatch; i++)
                {
                    batch.Put(OldKey((b * PutsPerBatch) + i), Value);
                }

                store.Write(batch);
            }

            oldLogBytes = LogBytes(live);
            store.FlushMemtable();

            using (var deletes = new WriteBatch())
            {
                for (var i = 0; i < OldBatches * PutsPerBatch; i++)
                {
                    deletes.Delete(OldKey(i));
                }

                store.Write(deletes);
            }

            // The deletes go to a table file; the log that follows overwrites the first log's file. RocksDB puts a
            // flushed log on its reuse list in the background, possibly after the flush returns: until a log switch
            // finds it there, each switch starts a new file, so switch again (a switch needs a non-empty memtable).
            store.FlushMemtable();
            var switches = 0;
            while (LogBytes(live) < oldLogBytes && ++switches <= 20)
            {
                using var filler = new WriteBatch();
                filler.Put(MetadataKeys.Object("b", $"filler/{switches:D2}"), Value);
                store.Write(filler);
                store.FlushMemtable();
            }

            for (var i = 0; i < 3; i++)
            {
                using var batch = new WriteBatch();
                batch.Put(NewKey(i), Value);
                store.Write(batch);
            }

            // The live log is the first one's file: as long as it, though it holds three records.
            Assert.True(LogBytes(live) >= oldLogBytes, $"the live log has {LogBytes(live)} bytes; the first log had {oldLogBytes}: it was not reused");
            EngineHarness.CopyDirectory(live, image);
        }

        using var recovered = MetadataStore.Open(image);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(recovered.HasKey(NewKey(i)), $"acknowledged record {i} was lost");
        }

        for (var i = 0; i < OldBatches * PutsPerBatch; i++)
        {
            Assert.False(recovered.HasKey(OldKey(i)), $"deleted record {i} came back from the recycled log's tail");
        }
    }

    private static byte[] OldKey(int i) => MetadataKeys.Object("b", $"old/{i:D5}");

    private static byte[] NewKey(int i) => MetadataKeys.Object("b", $"new/{i:D5}");

    /// <summary>Length of the newest write-ahead log file (the live one).</summary>
    private static long LogBytes(string path) =>
        new FileInfo(Directory.GetFiles(path, "*.log").OrderBy(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture)).Last()).Length;
}
