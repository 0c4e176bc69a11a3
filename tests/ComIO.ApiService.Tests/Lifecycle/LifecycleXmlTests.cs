using System.Text;
using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Lifecycle;
using Xunit;

namespace ComIO.ApiService.Tests.Lifecycle;

/// <summary>
/// The LifecycleConfiguration parser and writer: round trip, AWS's validation errors, every truncation, random bytes,
/// and the day arithmetic. (Mutation, bomb and deep-nesting fuzzing run in <c>XmlBodyParserFuzzTests</c>.)
/// </summary>
public sealed class LifecycleXmlTests
{
    private const string Ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    private const string Rich =
        $"<LifecycleConfiguration {Ns}><Rule><ID>r1</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>"
        + "<ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter><Status>Enabled</Status>"
        + "<Expiration><Days>3</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>"
        + "<Rule><ID>r2</ID><Prefix>tmp/</Prefix><Status>Disabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration>"
        + "<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule>"
        + "<Rule><ID>r3</ID><Filter><Tag><Key>t</Key><Value>x</Value></Tag></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>"
        + "<Rule><ID>r4</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>"
        + "</LifecycleConfiguration>";

    /// <summary>The parser as the API uses it: the configuration, or the S3 error it answers.</summary>
    internal static LifecycleConfiguration ParseOrThrow(byte[] body)
    {
        if (LifecycleXml.TryParse(body, out var configuration, out var error))
        {
            return configuration!;
        }

        throw new S3Exception(error!.Code switch
        {
            LifecycleError.InvalidArgument => S3ErrorCode.InvalidArgument,
            LifecycleError.InvalidRequest => S3ErrorCode.InvalidRequest,
            LifecycleXml.NotImplemented => S3ErrorCode.NotImplemented,
            _ => S3ErrorCode.MalformedXML,
        }, error.Message);
    }

    private static string Rule(string inner) => $"<LifecycleConfiguration><Rule>{inner}</Rule></LifecycleConfiguration>";

    [Fact]
    public void Parse_RichDocument_RoundTripsThroughWrite()
    {
        var parsed = ParseOrThrow(Encoding.UTF8.GetBytes(Rich));
        Assert.Equal(4, parsed.Rules.Count);
        var r1 = parsed.Rules[0];
        Assert.Equal(("logs/", 10L, 100L), (r1.Filter.Prefix, r1.Filter.ObjectSizeGreaterThan, r1.Filter.ObjectSizeLessThan));
        Assert.Equal([new KeyValuePair<string, string>("k", "v")], r1.Filter.Tags);
        Assert.Equal(3, r1.ExpirationDays);
        Assert.Equal(5, r1.NoncurrentDays);
        Assert.Equal(2, r1.NewerNoncurrentVersions);
        Assert.False(parsed.Rules[1].Enabled);
        Assert.True(parsed.Rules[1].LegacyPrefix);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), parsed.Rules[1].ExpirationDate);
        Assert.Equal(7, parsed.Rules[1].AbortIncompleteMultipartUploadDays);
        Assert.True(parsed.Rules[3].ExpiredObjectDeleteMarker);

        var written = LifecycleXml.Write(parsed);
        var again = ParseOrThrow(written);
        Assert.Equal(written, LifecycleXml.Write(again));
        Assert.Equal(parsed.Rules.Select(r => (r.Id, r.Filter.Prefix, r.ExpirationDays, r.ExpirationDate, r.NoncurrentDays)), again.Rules.Select(r => (r.Id, r.Filter.Prefix, r.ExpirationDays, r.ExpirationDate, r.NoncurrentDays)));
    }

    [Fact]
    public void Parse_RuleWithoutId_GetsGeneratedId()
    {
        var parsed = ParseOrThrow(Encoding.UTF8.GetBytes(Rule("<Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>")));
        Assert.False(string.IsNullOrEmpty(Assert.Single(parsed.Rules).Id));
    }

    [Theory]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration>", "InvalidArgument")]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration><Days>-1</Days></Expiration>", "InvalidArgument")]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration><Days>x</Days></Expiration>", "MalformedXML")]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration><Date>2030-01-01T10:00:00Z</Date></Expiration>", "InvalidArgument")]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration><Days>1</Days><Date>2030-01-01T00:00:00Z</Date></Expiration>", "MalformedXML")]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>", "MalformedXML")]
    [InlineData("<Filter/><Status>Enabled</Status><Expiration></Expiration>", "MalformedXML")]
    [InlineData("<Filter/><Status>enabled</Status><Expiration><Days>1</Days></Expiration>", "MalformedXML")]
    [InlineData("<Filter/><Expiration><Days>1</Days></Expiration>", "MalformedXML")]
    [InlineData("<Filter/><Status>Enabled</Status>", "InvalidRequest")]
    [InlineData("<Filter/><Prefix>a</Prefix><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>", "MalformedXML")]
    [InlineData("<Filter><Prefix>a</Prefix><Prefix>b</Prefix></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>", "MalformedXML")]
    [InlineData("<Filter><Prefix>a</Prefix><ObjectSizeLessThan>5</ObjectSizeLessThan></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>", "MalformedXML")]
    [InlineData("<Filter><And><ObjectSizeGreaterThan>5</ObjectSizeGreaterThan><ObjectSizeLessThan>5</ObjectSizeLessThan></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>", "InvalidRequest")]
    [InlineData("<Filter><And><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></And></Filter><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>", "InvalidRequest")]
    [InlineData("<Filter><Tag><Key>a</Key><Value>1</Value></Tag></Filter><Status>Enabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration>", "InvalidRequest")]
    [InlineData("<Filter><Tag><Key>a</Key><Value>1</Value></Tag></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>", "InvalidRequest")]
    [InlineData("<Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>0</NoncurrentDays></NoncurrentVersionExpiration>", "InvalidArgument")]
    [InlineData("<Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NewerNoncurrentVersions>1</NewerNoncurrentVersions></NoncurrentVersionExpiration>", "MalformedXML")]
    [InlineData("<Filter/><Status>Enabled</Status><NoncurrentVersionExpiration><NoncurrentDays>1</NoncurrentDays><NewerNoncurrentVersions>101</NewerNoncurrentVersions></NoncurrentVersionExpiration>", "InvalidArgument")]
    [InlineData("<Filter/><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>0</DaysAfterInitiation></AbortIncompleteMultipartUpload>", "InvalidArgument")]
    [InlineData("<Filter/><Status>Enabled</Status><Transition><Days>1</Days><StorageClass>GLACIER</StorageClass></Transition>", "NotImplemented")]
    [InlineData("<Filter/><Status>Enabled</Status><Unknown/><Expiration><Days>1</Days></Expiration>", "MalformedXML")]
    public void Parse_InvalidRule_ReturnsAwsError(string inner, string code)
    {
        Assert.False(LifecycleXml.TryParse(Encoding.UTF8.GetBytes(Rule(inner)), out _, out var error));
        Assert.Equal(code, error!.Code);
    }

    [Fact]
    public void Parse_DuplicateIdsOrLongId_InvalidArgument()
    {
        const string rule = "<Rule><ID>same</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule>";
        Assert.False(LifecycleXml.TryParse(Encoding.UTF8.GetBytes($"<LifecycleConfiguration>{rule}{rule}</LifecycleConfiguration>"), out _, out var duplicate));
        Assert.Equal("InvalidArgument", duplicate!.Code);
        Assert.False(LifecycleXml.TryParse(Encoding.UTF8.GetBytes(Rule($"<ID>{new string('i', 256)}</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration>")), out _, out var longId));
        Assert.Equal("InvalidArgument", longId!.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<LifecycleConfiguration/>")]
    [InlineData("<LifecycleConfiguration></LifecycleConfiguration>")]
    [InlineData("<Other><Rule/></Other>")]
    [InlineData("<!DOCTYPE x [<!ENTITY e \"a\">]><LifecycleConfiguration><Rule><ID>&e;</ID></Rule></LifecycleConfiguration>")]
    public void Parse_NoRulesWrongRootOrDtd_MalformedXml(string body)
    {
        Assert.False(LifecycleXml.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Equal("MalformedXML", error!.Code);
    }

    [Fact]
    public void Parse_EveryTruncation_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes(Rich);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.False(LifecycleXml.TryParse(bytes.AsSpan(0, length), out _, out var error), $"prefix of {length} bytes accepted");
            Assert.NotNull(error);
        }
    }

    [Fact]
    public void Parse_RandomBytesAndSplices_NeverThrow()
    {
        var random = new Random(20261126);
        var seed = Encoding.UTF8.GetBytes(Rich);
        for (var i = 0; i < 5000; i++)
        {
            byte[] body;
            if (i % 2 == 0)
            {
                body = new byte[random.Next(0, 512)];
                random.NextBytes(body);
            }
            else
            {
                body = (byte[])seed.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    body[random.Next(body.Length)] = (byte)"<>/=\"&;![]aZ09 \0\xff"[random.Next(17)];
                }
            }

            var accepted = LifecycleXml.TryParse(body, out var configuration, out var error);
            Assert.True(accepted ? configuration is not null && error is null : configuration is null && error is not null);
            if (accepted)
            {
                Assert.True(LifecycleXml.TryParse(LifecycleXml.Write(configuration!), out _, out _));
            }
        }
    }

    [Fact]
    public void Parse_OversizedDocument_MalformedXml()
    {
        var body = new byte[LifecycleConfiguration.MaxDocumentBytes + 1];
        Assert.False(LifecycleXml.TryParse(body, out _, out var error));
        Assert.Equal("MalformedXML", error!.Code);
    }

    [Theory]
    [InlineData("2014-01-15T10:30:00Z", 3, "2014-01-19T00:00:00Z")]
    [InlineData("2014-01-15T00:00:00Z", 1, "2014-01-17T00:00:00Z")]
    [InlineData("2014-01-15T23:59:59Z", 1, "2014-01-17T00:00:00Z")]
    public void NextMidnightAfter_RoundsUpToMidnightUtc(string created, int days, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LifecycleClock.NextMidnightAfter(DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture), days));
    }
}
