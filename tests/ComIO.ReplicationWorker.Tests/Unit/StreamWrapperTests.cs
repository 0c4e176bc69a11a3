using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.S3;
using ComIO.ReplicationWorker.Tests.Harness;

namespace ComIO.ReplicationWorker.Tests.Unit;

public sealed class StreamWrapperTests
{
    [Fact]
    public async Task LengthLimitedStream_ReadsExactlyItsLength_AndLeavesTheRest()
    {
        var inner = new NonSeekableStream(100);
        var first = new MemoryStream();
        await new LengthLimitedStream(inner, 30).CopyToAsync(first, TestContext.Current.CancellationToken);
        var rest = new MemoryStream();
        await inner.CopyToAsync(rest, TestContext.Current.CancellationToken);

        Assert.Equal(NonSeekableStream.Expected(100)[..30], first.ToArray());
        Assert.Equal(NonSeekableStream.Expected(100)[30..], rest.ToArray());
    }

    [Fact]
    public async Task LengthLimitedStream_Throws_WhenTheSourceIsShort() =>
        await Assert.ThrowsAsync<EndOfStreamException>(() =>
            new LengthLimitedStream(new NonSeekableStream(10), 20).CopyToAsync(Stream.Null, TestContext.Current.CancellationToken));

    [Fact]
    public async Task PartBodyStream_ReportsLengthAndPosition_AndRefusesToRewind()
    {
        var part = new PartBodyStream(new NonSeekableStream(100), 60);
        Assert.True(part.CanSeek);
        Assert.Equal(60, part.Length);

        var buffer = new byte[100];
        var read = await part.ReadAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal(60, part.Position);
        Assert.Equal(60, part.Seek(0, SeekOrigin.Current));
        Assert.Equal(0, await part.ReadAsync(buffer, TestContext.Current.CancellationToken));
        Assert.Throws<NotSupportedException>(() => part.Seek(0, SeekOrigin.Begin));
        Assert.InRange(read, 1, 60);
    }
}
