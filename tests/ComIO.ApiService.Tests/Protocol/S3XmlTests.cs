using System.Globalization;
using System.Text;
using ComIO.ApiService.Protocol.Xml;
using Xunit;

namespace ComIO.ApiService.Tests.Protocol;

public sealed class S3XmlTests
{
    private static string Write(Action<System.Xml.XmlWriter> body) =>
        Encoding.UTF8.GetString(S3Xml.Document("R", body, withNamespace: false));

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(5_497_558_138_880L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void NumberElement_WritesTheInvariantDecimalText(long value) =>
        Assert.EndsWith($"<R><Size>{value.ToString(CultureInfo.InvariantCulture)}</Size></R>", Write(xml => xml.Element("Size", value)), StringComparison.Ordinal);

    [Fact]
    public void TimestampElement_WritesTheSameTextAsTimestamp_InUtcWithMilliseconds()
    {
        DateTimeOffset[] times =
        [
            DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
            new DateTimeOffset(2026, 11, 27, 23, 59, 59, 7, TimeSpan.FromHours(-5)),
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
        ];
        foreach (var time in times)
        {
            var xml = Write(x => x.Element("LastModified", time));
            Assert.EndsWith($"<R><LastModified>{S3Xml.Timestamp(time)}</LastModified></R>", xml, StringComparison.Ordinal);
        }

        Assert.Equal("2026-11-28T04:59:59.007Z", S3Xml.Timestamp(times[1]));
    }

    [Fact]
    public void NumberAndTimestampElements_DoNotShareTextBetweenElements()
    {
        var xml = Write(x =>
        {
            x.Element("A", long.MaxValue);
            x.Element("B", 7L);
            x.Element("C", DateTimeOffset.FromUnixTimeMilliseconds(0));
            x.Element("D", 12L);
        });
        Assert.EndsWith("<R><A>9223372036854775807</A><B>7</B><C>1970-01-01T00:00:00.000Z</C><D>12</D></R>", xml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e", "<ETag>\"d41d8cd98f00b204e9800998ecf8427e\"</ETag>")]
    [InlineData("0123456789abcdef0123456789abcdef-3", "<ETag>\"0123456789abcdef0123456789abcdef-3\"</ETag>")]
    [InlineData("\"already-quoted\"", "<ETag>\"already-quoted\"</ETag>")]
    [InlineData("a<&>b", "<ETag>\"a&lt;&amp;&gt;b\"</ETag>")]
    [InlineData("", "<ETag>\"\"</ETag>")]
    public void ETagElement_QuotesTheETagOnce_AndEscapesItsText(string etag, string expected) =>
        Assert.EndsWith($"<R>{expected}</R>", Write(xml => xml.ETagElement(etag)), StringComparison.Ordinal);
}
