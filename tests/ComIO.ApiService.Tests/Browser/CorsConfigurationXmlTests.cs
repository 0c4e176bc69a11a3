using System.Text;
using ComIO.ApiService.Browser.Cors;
using ComIO.ApiService.Protocol.Errors;
using Xunit;

namespace ComIO.ApiService.Tests.Browser;

/// <summary>PutBucketCors / GetBucketCors documents: parsing, AWS's validation errors, round-trips, truncation and random input.</summary>
public sealed class CorsConfigurationXmlTests
{
    private const string Ns = "http://s3.amazonaws.com/doc/2006-03-01/";

    private const string Example = """
        <CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <CORSRule>
            <ID>upload</ID>
            <AllowedOrigin>http://www.example.com</AllowedOrigin>
            <AllowedMethod>PUT</AllowedMethod>
            <AllowedMethod>POST</AllowedMethod>
            <AllowedMethod>DELETE</AllowedMethod>
            <AllowedHeader>*</AllowedHeader>
            <MaxAgeSeconds>3000</MaxAgeSeconds>
            <ExposeHeader>x-amz-server-side-encryption</ExposeHeader>
            <ExposeHeader>ETag</ExposeHeader>
          </CORSRule>
          <CORSRule>
            <AllowedOrigin>*</AllowedOrigin>
            <AllowedMethod>GET</AllowedMethod>
          </CORSRule>
        </CORSConfiguration>
        """;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Rule(string inner) => $"<CORSConfiguration><CORSRule>{inner}</CORSRule></CORSConfiguration>";

    private static S3Exception ParseFails(string xml) => Assert.Throws<S3Exception>(() => CorsConfigurationXml.Parse(Utf8(xml)));

    [Fact]
    public void Parse_ReadsEveryElement_AwsExample()
    {
        var configuration = CorsConfigurationXml.Parse(Utf8(Example));

        Assert.Equal(2, configuration.Rules.Count);
        var first = configuration.Rules[0];
        Assert.Equal("upload", first.Id);
        Assert.Equal(["http://www.example.com"], first.AllowedOrigins);
        Assert.Equal(["PUT", "POST", "DELETE"], first.AllowedMethods);
        Assert.Equal(["*"], first.AllowedHeaders);
        Assert.Equal(["x-amz-server-side-encryption", "ETag"], first.ExposeHeaders);
        Assert.Equal(3000, first.MaxAgeSeconds);
        var second = configuration.Rules[1];
        Assert.Null(second.Id);
        Assert.Null(second.MaxAgeSeconds);
        Assert.Empty(second.AllowedHeaders);
        Assert.Empty(second.ExposeHeaders);
    }

    [Fact]
    public void Parse_AcceptsDocument_WithoutNamespaceOrDeclaration()
    {
        var configuration = CorsConfigurationXml.Parse(Utf8(Rule("<AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin>")));
        Assert.Single(configuration.Rules);
    }

    [Fact]
    public void Write_ThenParse_RoundTrips()
    {
        var original = CorsConfigurationXml.Parse(Utf8(Example));
        var written = CorsConfigurationXml.Write(original);
        var again = CorsConfigurationXml.Parse(written);

        Assert.Equal(written, CorsConfigurationXml.Write(again));
        Assert.Equal(original.Rules.Count, again.Rules.Count);
        for (var i = 0; i < original.Rules.Count; i++)
        {
            Assert.Equal(original.Rules[i].Id, again.Rules[i].Id);
            Assert.Equal(original.Rules[i].AllowedOrigins, again.Rules[i].AllowedOrigins);
            Assert.Equal(original.Rules[i].AllowedMethods, again.Rules[i].AllowedMethods);
            Assert.Equal(original.Rules[i].AllowedHeaders, again.Rules[i].AllowedHeaders);
            Assert.Equal(original.Rules[i].ExposeHeaders, again.Rules[i].ExposeHeaders);
            Assert.Equal(original.Rules[i].MaxAgeSeconds, again.Rules[i].MaxAgeSeconds);
        }
    }

    [Fact]
    public void Write_ProducesGetBucketCorsDocument_InAwsElementOrder()
    {
        var configuration = new CorsConfiguration([new CorsRule("r1", ["*"], ["GET"], ["x-a"], ["ETag"], 60)]);

        var xml = Encoding.UTF8.GetString(CorsConfigurationXml.Write(configuration));

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", xml);
        Assert.EndsWith(
            $"<CORSConfiguration xmlns=\"{Ns}\"><CORSRule><AllowedHeader>x-a</AllowedHeader><AllowedMethod>GET</AllowedMethod>"
            + "<AllowedOrigin>*</AllowedOrigin><ExposeHeader>ETag</ExposeHeader><ID>r1</ID><MaxAgeSeconds>60</MaxAgeSeconds></CORSRule></CORSConfiguration>",
            xml);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("PATCH")]
    [InlineData("OPTIONS")]
    [InlineData("")]
    public void Parse_RejectsUnsupportedMethod_WithAwsMessage(string method)
    {
        var error = ParseFails(Rule($"<AllowedOrigin>*</AllowedOrigin><AllowedMethod>{method}</AllowedMethod>"));

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
        Assert.Equal($"Found unsupported HTTP method in CORS config. Unsupported method is {method}", error.Message);
    }

    [Fact]
    public void Parse_RejectsOriginWithTwoWildcards_WithAwsMessage()
    {
        var error = ParseFails(Rule("<AllowedOrigin>http://*.example.*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"));

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
        Assert.Equal("AllowedOrigin \"http://*.example.*\" can not have more than one wildcard.", error.Message);
    }

    [Fact]
    public void Parse_RejectsHeaderWithTwoWildcards_WithAwsMessage()
    {
        var error = ParseFails(Rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedHeader>x-*-*</AllowedHeader>"));

        Assert.Equal(S3ErrorCode.InvalidRequest, error.Error);
        Assert.Equal("AllowedHeader \"x-*-*\" can not have more than one wildcard.", error.Message);
    }

    [Theory]
    [InlineData("<AllowedMethod>GET</AllowedMethod>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><Unknown>x</Unknown>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><ID>a</ID><ID>b</ID>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>ten</MaxAgeSeconds>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>-1</MaxAgeSeconds>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>99999999999</MaxAgeSeconds>")]
    [InlineData("<AllowedOrigin>*</AllowedOrigin>text<AllowedMethod>GET</AllowedMethod>")]
    [InlineData("<AllowedOrigin><b>x</b></AllowedOrigin><AllowedMethod>GET</AllowedMethod>")]
    public void Parse_RejectsRuleOutsideSchema_AsMalformedXml(string inner)
    {
        Assert.Equal(S3ErrorCode.MalformedXML, ParseFails(Rule(inner)).Error);
    }

    [Theory]
    [InlineData("<CORSConfiguration/>")]
    [InlineData("<CORSConfiguration></CORSConfiguration>")]
    [InlineData("<CORSConfiguration><CORSRule/></CORSConfiguration>")]
    [InlineData("<Other><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></Other>")]
    [InlineData("<CORSConfiguration><Rule/></CORSConfiguration>")]
    [InlineData("")]
    [InlineData("not xml")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><CORSConfiguration><CORSRule><AllowedOrigin>&a;</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>")]
    public void Parse_RejectsDocumentOutsideSchema_AsMalformedXml(string xml)
    {
        Assert.Equal(S3ErrorCode.MalformedXML, ParseFails(xml).Error);
    }

    [Fact]
    public void Parse_RejectsTrailingContent_AsMalformedXml()
    {
        Assert.Equal(S3ErrorCode.MalformedXML, ParseFails(Rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>") + "<x/>").Error);
    }

    [Fact]
    public void Parse_Accepts100Rules_Rejects101()
    {
        static string Rules(int count) => "<CORSConfiguration>"
            + string.Concat(Enumerable.Repeat("<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule>", count))
            + "</CORSConfiguration>";

        Assert.Equal(100, CorsConfigurationXml.Parse(Utf8(Rules(100))).Rules.Count);
        Assert.Equal(S3ErrorCode.MalformedXML, ParseFails(Rules(101)).Error);
    }

    [Fact]
    public void Parse_RejectsDocumentOver64KiB_AsMaxMessageLengthExceeded()
    {
        var padding = new string(' ', CorsConfiguration.MaxDocumentBytes);
        var error = ParseFails(Rule("<AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>" + padding));

        Assert.Equal(S3ErrorCodes.MaxMessageLengthExceeded, error.Error);
    }

    [Fact]
    public async Task ParseAsync_ReadsStream_AndStopsAfterLimit()
    {
        var configuration = await CorsConfigurationXml.ParseAsync(new MemoryStream(Utf8(Example)), TestContext.Current.CancellationToken);
        Assert.Equal(2, configuration.Rules.Count);

        var huge = new MemoryStream(new byte[10 * CorsConfiguration.MaxDocumentBytes]);
        var error = await Assert.ThrowsAsync<S3Exception>(() => CorsConfigurationXml.ParseAsync(huge, TestContext.Current.CancellationToken));
        Assert.Equal(S3ErrorCodes.MaxMessageLengthExceeded, error.Error);
        Assert.Equal(CorsConfiguration.MaxDocumentBytes + 1, huge.Position);
    }

    [Fact]
    public void Parse_EveryTruncation_FailsWithMalformedXml()
    {
        var bytes = CorsConfigurationXml.Write(CorsConfigurationXml.Parse(Utf8(Example)));
        for (var length = 0; length < bytes.Length; length++)
        {
            var error = Assert.Throws<S3Exception>(() => CorsConfigurationXml.Parse(bytes[..length]));
            Assert.Equal(S3ErrorCode.MalformedXML, error.Error);
        }
    }

    [Fact]
    public void Parse_RandomInput_OnlyThrowsS3Exceptions()
    {
        var random = new Random(1234);
        var seed = CorsConfigurationXml.Write(CorsConfigurationXml.Parse(Utf8(Example)));
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])seed.Clone();
            var flips = random.Next(1, 6);
            for (var f = 0; f < flips; f++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                CorsConfigurationXml.Parse(bytes);
            }
            catch (S3Exception error)
            {
                Assert.True(error.Error == S3ErrorCode.MalformedXML || error.Error == S3ErrorCode.InvalidRequest, error.Error.Code);
            }
        }
    }
}
