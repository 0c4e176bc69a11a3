using ComIO.Storage.Metadata;

namespace ComIO.Storage.Tests;

public sealed class VersionRecordFormatTests
{
    private const string Slot = "Uzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0";

    private static ObjectRecord Inline(string? slot, bool isNull) => new()
    {
        Bucket = "b",
        Key = "k",
        Size = 1,
        ETag = "0123456789abcdef0123456789abcdef",
        LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123),
        InlineData = [0xAB],
        VersionSlot = slot,
        IsNullVersion = isNull,
    };

    [Fact]
    public void SerializeObject_AppendsVersionSection_OnlyForVersionedRecords()
    {
        var plain = RecordSerializer.SerializeObject(Inline(null, false));
        var versioned = RecordSerializer.SerializeObject(Inline(Slot, false));

        // If this fails the metadata format changed: bump the record version and keep reading the old one.
        Assert.Equal(Convert.ToHexString(plain[..^4]) + "5600" + "20000000" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(Slot)), Convert.ToHexString(versioned[..^4]));
        var copy = RecordSerializer.DeserializeObject("b", "k", versioned);
        Assert.Equal(Slot, copy.VersionId);
        Assert.False(copy.IsDeleteMarker);
        Assert.Equal([0xAB], copy.InlineData);
        var nullVersion = RecordSerializer.DeserializeObject("b", "k", RecordSerializer.SerializeObject(Inline(Slot, true)));
        Assert.Equal("null", nullVersion.VersionId);
        Assert.Equal(Slot, nullVersion.VersionSlot);
        Assert.Equal("null", RecordSerializer.DeserializeObject("b", "k", plain).VersionId);
    }

    [Fact]
    public void SerializeObject_ProducesGoldenBytes_ForDeleteMarkerV3()
    {
        var marker = new ObjectRecord { Bucket = "b", Key = "k", Size = 0, ETag = "", LastModified = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123), IsDeleteMarker = true, VersionSlot = Slot, IsNullVersion = true };
        var bytes = RecordSerializer.SerializeObject(marker);
        Assert.Equal("037BE897B69A010000" + "5601" + "20000000" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(Slot)), Convert.ToHexString(bytes[..^4]));
        var copy = RecordSerializer.DeserializeObject("b", "k", bytes);
        Assert.True(copy.IsDeleteMarker);
        Assert.Equal("null", copy.VersionId);
        Assert.Equal(marker.LastModified, copy.LastModified);
        for (var i = 0; i < bytes.Length; i++)
        {
            var corrupt = bytes.ToArray();
            corrupt[i] ^= 0x10;
            Assert.Throws<InvalidDataException>(() => RecordSerializer.DeserializeObject("b", "k", corrupt));
        }
    }

    [Fact]
    public void OutboxEntry_UsesV1WithoutVersion_AndV2WithVersion()
    {
        var entry = new OutboxEntry { Sequence = 1, Operation = OutboxOperation.Put, Bucket = "b", Key = "k", ETag = "e", CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(5), Payload = [7] };
        var v1 = RecordSerializer.SerializeOutbox(entry);
        Assert.Equal(1, v1[0]);
        var versioned = new OutboxEntry { Sequence = 1, Operation = OutboxOperation.DeleteVersion, Bucket = "b", Key = "k", ETag = null, CreatedAt = entry.CreatedAt, Payload = [7], VersionId = Slot, IsDeleteMarker = true };
        var v2 = RecordSerializer.SerializeOutbox(versioned);
        Assert.Equal(
            "02" + "02" + "01000000" + "62" + "01000000" + "6B" + "FFFFFFFF" + "0500000000000000" + "20000000" + Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(Slot)) + "01" + "01000000" + "07",
            Convert.ToHexString(v2[..^4]));
        var copy = RecordSerializer.DeserializeOutbox(1, v2);
        Assert.Equal(Slot, copy.VersionId);
        Assert.True(copy.IsDeleteMarker);
        Assert.Null(RecordSerializer.DeserializeOutbox(1, v1).VersionId);
    }

    [Fact]
    public void VersionIds_SortNewestFirst_AndAreUrlSafe()
    {
        var older = VersionIds.Create(1_000_000);
        var newer = VersionIds.Create(1_000_001);
        Assert.True(string.CompareOrdinal(newer, older) < 0);
        Assert.Matches("^[A-Za-z0-9_-]{32}$", newer);
        Assert.Equal('U', VersionIds.Create(VersionIds.StampOf(DateTimeOffset.UtcNow))[0]);
        Assert.Equal(1_000_001, VersionIds.StampOf(newer));
        Assert.True(VersionIds.IsWellFormed("null"));
        Assert.False(VersionIds.IsWellFormed("abc"));
        Assert.False(VersionIds.IsWellFormed(new string('!', 32)));
    }
}
