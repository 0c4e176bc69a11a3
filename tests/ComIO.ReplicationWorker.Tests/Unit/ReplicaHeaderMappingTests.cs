using ComIO.Contracts.Replication;
using ComIO.ReplicationWorker.Copying;

namespace ComIO.ReplicationWorker.Tests.Unit;

public sealed class ReplicaHeaderMappingTests
{
    [Fact]
    public void ObjectHeaders_CarryEverythingTheSourceReported()
    {
        var version = new SourceVersion
        {
            VersionId = "v1",
            ContentLength = 1,
            ETag = "\"e\"",
            ContentType = "text/html; charset=utf-8",
            CacheControl = "no-cache",
            ContentDisposition = "attachment",
            ContentEncoding = "gzip",
            ContentLanguage = "fr",
            Expires = "Wed, 21 Oct 2037 07:28:00 GMT",
            Metadata = [new("x-amz-meta-Owner", "ann"), new("color", "blue")],
            ObjectLockMode = "COMPLIANCE",
            ObjectLockRetainUntil = new DateTimeOffset(2030, 1, 2, 4, 4, 5, 123, TimeSpan.FromHours(1)),
            ObjectLockLegalHold = "ON",
        };

        var headers = ReplicaHeaderMapping.ObjectHeaders(version, [new("a b", "c&d"), new("e", "")]);

        Assert.Equal(
        [
            new("Content-Type", "text/html; charset=utf-8"),
            new("Cache-Control", "no-cache"),
            new("Content-Disposition", "attachment"),
            new("Content-Encoding", "gzip"),
            new("Content-Language", "fr"),
            new("Expires", "Wed, 21 Oct 2037 07:28:00 GMT"),
            new("x-amz-meta-owner", "ann"),
            new("x-amz-meta-color", "blue"),
            new("x-amz-tagging", "a%20b=c%26d&e="),
            new("x-amz-object-lock-mode", "COMPLIANCE"),
            new("x-amz-object-lock-retain-until-date", "2030-01-02T03:04:05.123Z"),
            new("x-amz-object-lock-legal-hold", "ON"),
        ], headers);
    }

    [Fact]
    public void ObjectHeaders_OmitWhatTheSourceDoesNotHave()
    {
        var headers = ReplicaHeaderMapping.ObjectHeaders(new SourceVersion { VersionId = "v", ContentLength = 0, ETag = "\"e\"", ObjectLockMode = "GOVERNANCE" }, []);

        Assert.Empty(headers); // a lock mode without a retain-until date is not a retention
    }

    [Theory]
    [InlineData("\"abc\"", "\"abc\"")]
    [InlineData("abc", "\"abc\"")]
    [InlineData("abc-3", "\"abc-3\"")]
    public void ReplicaMarks_NameTheSourceVersion_WithAQuotedETag(string etag, string sent)
    {
        Assert.Equal(
            [new(ReplicaHeaders.VersionId, "v9"), new(ReplicaHeaders.ETag, sent), new(ReplicaHeaders.Source, "east")],
            ReplicaHeaderMapping.ReplicaMarks("v9", etag, "east"));
    }

    [Fact]
    public void DeleteMarkerMarks_FlagTheDelete() =>
        Assert.Equal(
            [new(ReplicaHeaders.VersionId, "dm"), new(ReplicaHeaders.DeleteMarker, "true"), new(ReplicaHeaders.Source, "east")],
            ReplicaHeaderMapping.DeleteMarkerMarks("dm", "east"));
}
