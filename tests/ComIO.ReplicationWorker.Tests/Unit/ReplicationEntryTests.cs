using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Queue;
using ComIO.ReplicationWorker.Tests.Harness;

namespace ComIO.ReplicationWorker.Tests.Unit;

public sealed class ReplicationEntryTests
{
    private static ReplicationEntry Parse(Func<KeyValuePair<string, string>, KeyValuePair<string, string>?>? change = null)
    {
        var fields = Entries.AsFields(Entries.Put())
            .Select(f => change is null ? f : change(f))
            .Where(f => f is not null)
            .Select(f => f!.Value)
            .ToList();
        return ReplicationEntry.Parse(new DeliveredEntry("1700000000000-3", fields, 1));
    }

    private static Func<KeyValuePair<string, string>, KeyValuePair<string, string>?> Set(string name, string? value) =>
        f => f.Key != name ? f : value is null ? null : new KeyValuePair<string, string>(name, value);

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var entry = Parse();

        Assert.Null(entry.Problem);
        Assert.True(entry.CanReport);
        Assert.Equal("1700000000000-3", entry.Id);
        Assert.Equal(("east-node1", 0, 7L), (entry.Node, entry.Device, entry.Sequence));
        Assert.Equal((ReplicationStream.OperationPut, "photos", "dir/object.bin", "v1"), (entry.Operation, entry.Bucket, entry.Key, entry.VersionId));
        Assert.Equal("\"0123456789abcdef0123456789abcdef\"", entry.ETag);
        Assert.Equal([new ReplicationDestination("west", "photos-west")], entry.Destinations);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", entry.TraceParent);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero), entry.CreatedAt);
    }

    [Theory]
    [InlineData(ReplicationStream.Destinations, "{not json")]
    [InlineData(ReplicationStream.Destinations, """[{"site":"west"}]""")]
    [InlineData(ReplicationStream.Destinations, "null")]
    [InlineData(ReplicationStream.Operation, "copy")]
    [InlineData(ReplicationStream.VersionId, null)]
    [InlineData(ReplicationStream.Key, "")]
    public void Parse_FlagsAProblem_ButCanStillReport_WhenTheNodeFieldsAreThere(string field, string? value)
    {
        var entry = Parse(Set(field, value));

        Assert.NotNull(entry.Problem);
        Assert.Contains(field, entry.Problem, StringComparison.Ordinal);
        Assert.Equal(field != ReplicationStream.Key, entry.CanReport);
    }

    [Theory]
    [InlineData(ReplicationStream.Node)]
    [InlineData(ReplicationStream.Device)]
    [InlineData(ReplicationStream.Sequence)]
    public void Parse_CannotReport_WithoutTheNodeFields(string field)
    {
        var entry = Parse(Set(field, null));

        Assert.NotNull(entry.Problem);
        Assert.False(entry.CanReport);
    }

    [Fact]
    public void Parse_AcceptsAnEmptyDestinationList_AndMissingOptionalFields()
    {
        var entry = Parse(f => f.Key switch
        {
            ReplicationStream.Destinations => new(f.Key, "[]"),
            ReplicationStream.TraceParent or ReplicationStream.ETag or ReplicationStream.CreatedAt => null,
            _ => f,
        });

        Assert.Null(entry.Problem);
        Assert.Empty(entry.Destinations);
        Assert.Null(entry.TraceParent);
        Assert.Null(entry.CreatedAt);
    }

    [Theory]
    [InlineData("1700000000000-3", 1700000000000L)]
    [InlineData("5", 5L)]
    [InlineData("x-1", null)]
    [InlineData("", null)]
    public void StreamIds_TimeOf_ReadsTheMillisecondPart(string id, long? milliseconds) =>
        Assert.Equal(milliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null, StreamIds.TimeOf(id));
}
