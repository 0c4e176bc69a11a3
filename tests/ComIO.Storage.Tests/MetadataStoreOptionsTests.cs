using ComIO.Storage.Metadata;
using ComIO.Storage.Tests.Support;

namespace ComIO.Storage.Tests;

/// <summary>The RocksDB configuration the metadata store opens with, as RocksDB itself records it (the OPTIONS file).</summary>
public sealed class MetadataStoreOptionsTests
{
    [Fact]
    public void Tables_CarryWholeKeyBloomFilters_SoMissingRecordsAreRejectedWithoutAnIndexSearch()
    {
        using var directory = new TempDirectory();
        using (MetadataStore.Open(directory.Path))
        {
        }

        var options = File.ReadAllText(Directory.GetFiles(directory.Path, "OPTIONS-*").Order(StringComparer.Ordinal).Last());
        var table = options[options.IndexOf("[TableOptions/BlockBasedTable \"default\"]", StringComparison.Ordinal)..];
        Assert.Contains("filter_policy=bloomfilter", table, StringComparison.Ordinal);
        Assert.Contains("whole_key_filtering=true", table, StringComparison.Ordinal);
    }

    [Fact]
    public void TableFiles_AreWrittenBackEveryMebibyte_SoAFlushEndsWithoutAWritebackBurst()
    {
        using var directory = new TempDirectory();
        using (MetadataStore.Open(directory.Path))
        {
        }

        var options = File.ReadAllLines(Directory.GetFiles(directory.Path, "OPTIONS-*").Order(StringComparer.Ordinal).Last());
        Assert.Contains("  bytes_per_sync=1048576", options);
    }
}
