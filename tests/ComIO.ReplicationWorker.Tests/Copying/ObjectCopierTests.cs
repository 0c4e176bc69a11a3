using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Copying;
using ComIO.ReplicationWorker.Tests.Harness;
using Microsoft.Extensions.Logging.Abstractions;

namespace ComIO.ReplicationWorker.Tests.Copying;

public sealed class ObjectCopierTests
{
    private const long MiB = 1024 * 1024;

    private static SourceVersion Version(long size, int tagCount = 0) => new()
    {
        VersionId = "v1",
        ContentLength = size,
        ETag = "\"0123456789abcdef0123456789abcdef\"",
        ContentType = "text/plain",
        Metadata = [new("color", "blue")],
        TagCount = tagCount,
    };

    private static ObjectCopier Copier(FakeSource source, long threshold = 2 * MiB, long partSize = MiB)
    {
        var options = TestOptions.Worker(o =>
        {
            o.MultipartThreshold = threshold;
            o.PartSize = partSize;
            o.PartConcurrency = 3;
        });
        return new ObjectCopier(source, new MultipartCopier(source, options, NullLogger<MultipartCopier>.Instance), options, TestOptions.Site,
            NullLogger<ObjectCopier>.Instance);
    }

    private static Task<CopyOutcome> CopyAsync(ObjectCopier copier, FakeTarget target) =>
        copier.CopyAsync("photos", "dir/k", "v1", "photos-west", target, TestContext.Current.CancellationToken);

    [Fact]
    public async Task CopyAsync_LeavesADestinationThatHasALargeVersion_WithoutSendingIt()
    {
        var source = new FakeSource(Version(ObjectCopier.CheckDestinationFirstAbove + 1));
        var target = new FakeTarget { HasVersion = true };

        Assert.Equal(CopyOutcome.AlreadyPresent, await CopyAsync(Copier(source), target));

        Assert.Single(source.Opens);
        Assert.Equal(1, target.HasVersionQuestions);
        Assert.Empty(target.Puts);
        Assert.Empty(target.Parts);
    }

    [Fact]
    public async Task CopyAsync_SendsASmallVersion_WithoutAskingTheDestination()
    {
        // The destination stores a replica version id at most once, so resending a small body is safe and cheaper
        // than asking (ReplicaWriteTests.ReplicaPut_KeepsTheSourceVersionId_AndIsIdempotent checks the destination).
        var source = new FakeSource(Version(ObjectCopier.CheckDestinationFirstAbove));
        var target = new FakeTarget { HasVersion = true };

        Assert.Equal(CopyOutcome.Copied(ObjectCopier.CheckDestinationFirstAbove), await CopyAsync(Copier(source), target));

        Assert.Equal(0, target.HasVersionQuestions);
        Assert.Single(target.Puts);
    }

    [Fact]
    public async Task CopyAsync_HasNothingToDo_WhenTheSourceVersionIsGone()
    {
        var target = new FakeTarget();

        Assert.Equal(CopyOutcome.SourceGone, await CopyAsync(Copier(new FakeSource(null)), target));

        Assert.Empty(target.Puts);
    }

    [Fact]
    public async Task CopyAsync_PutsASmallObject_WithItsHeadersAndTheReplicaMarks_WithoutReadingTagsItDoesNotHave()
    {
        var source = new FakeSource(Version(1000));
        var target = new FakeTarget();

        Assert.Equal(CopyOutcome.Copied(1000), await CopyAsync(Copier(source), target));

        var put = Assert.Single(target.Puts);
        Assert.Equal(("photos-west", "dir/k"), (put.Bucket, put.Key));
        Assert.Equal(NonSeekableStream.Expected(1000), put.Body);
        Assert.Contains(new("Content-Type", "text/plain"), put.Headers);
        Assert.Contains(new("x-amz-meta-color", "blue"), put.Headers);
        Assert.Contains(new(ReplicaHeaders.VersionId, "v1"), put.Headers);
        Assert.Contains(new(ReplicaHeaders.ETag, "\"0123456789abcdef0123456789abcdef\""), put.Headers);
        Assert.Contains(new(ReplicaHeaders.Source, "east"), put.Headers);
        Assert.DoesNotContain(put.Headers, h => h.Key == "x-amz-tagging");
        Assert.Equal(0, source.TagReads);
    }

    [Fact]
    public async Task CopyAsync_ReadsTagsOnce_WhenTheVersionHasSome()
    {
        var source = new FakeSource(Version(10, tagCount: 1), [new("team", "x")]);
        var target = new FakeTarget();

        await CopyAsync(Copier(source), target);

        Assert.Equal(1, source.TagReads);
        Assert.Contains(new("x-amz-tagging", "team=x"), Assert.Single(target.Puts).Headers);
    }

    [Fact]
    public async Task CopyAsync_UsesAMultipartUpload_AboveTheThreshold_WithRangedReadsOfTheSameVersion()
    {
        var size = 3 * MiB + 12345;
        var source = new FakeSource(Version(size));
        var target = new FakeTarget();

        Assert.Equal(CopyOutcome.Copied(size), await CopyAsync(Copier(source), target));

        Assert.Empty(target.Puts);
        Assert.Equal(4, target.Parts.Count);
        var joined = Enumerable.Range(1, 4).SelectMany(n => target.Parts[n]).ToArray();
        Assert.Equal(NonSeekableStream.Expected(size), joined);
        Assert.Equal(["\"etag-1\"", "\"etag-2\"", "\"etag-3\"", "\"etag-4\""], target.CompletedETags);
        Assert.Equal(
            [(0L, (long?)null), (MiB, MiB), (2 * MiB, MiB), (3 * MiB, 12345)],
            source.Opens.OrderBy(o => o.Offset).ToArray());
        Assert.Contains(new("x-amz-meta-color", "blue"), target.StartHeaders!);
        Assert.DoesNotContain(target.StartHeaders!, h => h.Key.StartsWith("x-comio-replica-", StringComparison.Ordinal));
        Assert.Equal(ReplicaHeaderMapping.ReplicaMarks("v1", "\"0123456789abcdef0123456789abcdef\"", "east"), target.CompleteHeaders);
        Assert.Empty(target.Aborted);
    }

    [Fact]
    public async Task CopyAsync_AbortsTheUpload_WhenAPartFails()
    {
        var target = new FakeTarget { FailPart = 3 };

        await Assert.ThrowsAsync<IOException>(() => CopyAsync(Copier(new FakeSource(Version(4 * MiB))), target));

        Assert.Equal(["upload-1"], target.Aborted);
        Assert.Null(target.CompletedETags);
    }

    [Fact]
    public async Task CopyAsync_AbortsAndHasNothingToDo_WhenTheVersionDisappearsMidCopy()
    {
        var target = new FakeTarget();
        var source = new FakeSource(Version(4 * MiB)) { GoneAfterOpens = 2 };

        Assert.Equal(CopyOutcome.SourceGone, await CopyAsync(Copier(source), target));

        Assert.Equal(["upload-1"], target.Aborted);
        Assert.Null(target.CompletedETags);
    }
}
