using System.Text;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Protocol.Errors;
using Xunit;
using static ComIO.ApiService.Tests.Authorization.Acls.AclTestData;

namespace ComIO.ApiService.Tests.Authorization.Acls;

/// <summary>OwnershipControls and PublicAccessBlockConfiguration documents (in this namespace so the ACL test filter runs them).</summary>
public sealed class OwnershipAndPublicAccessBlockXmlTests
{
    private const string Ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData(ObjectOwnership.BucketOwnerEnforced)]
    [InlineData(ObjectOwnership.BucketOwnerPreferred)]
    [InlineData(ObjectOwnership.ObjectWriter)]
    public void OwnershipControls_WriteIsExact_AndParsesBack(ObjectOwnership ownership)
    {
        var body = OwnershipControlsXml.Write(ownership);

        Assert.Equal(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><OwnershipControls {Ns}><Rule><ObjectOwnership>{ownership}</ObjectOwnership></Rule></OwnershipControls>",
            Encoding.UTF8.GetString(body));
        Assert.Equal(ownership, OwnershipControlsXml.Parse(body));
    }

    [Theory]
    [InlineData("<OwnershipControls><Rule><ObjectOwnership>bucketownerenforced</ObjectOwnership></Rule></OwnershipControls>")]
    [InlineData("<OwnershipControls><Rule><ObjectOwnership>Nobody</ObjectOwnership></Rule></OwnershipControls>")]
    [InlineData("<OwnershipControls><Rule><ObjectOwnership></ObjectOwnership></Rule></OwnershipControls>")]
    [InlineData("<OwnershipControls><Rule/></OwnershipControls>")]
    [InlineData("<OwnershipControls></OwnershipControls>")]
    [InlineData("<OwnershipControls/>")]
    [InlineData("<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>")]
    [InlineData("<OwnershipControls><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>")]
    [InlineData("<OwnershipControls><Rule><Other>ObjectWriter</Other></Rule></OwnershipControls>")]
    [InlineData("<Rules><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></Rules>")]
    [InlineData("")]
    public void OwnershipControls_ParseThrowsMalformedXml_WhenNotExactlyOneValidRule(string xml)
    {
        Throws(S3ErrorCode.MalformedXML, () => OwnershipControlsXml.Parse(Utf8(xml)));
    }

    [Fact]
    public void OwnershipControls_ParseRejectsEveryTruncation_AndRandomInputWithMalformedXmlOnly()
    {
        var body = OwnershipControlsXml.Write(ObjectOwnership.BucketOwnerPreferred);
        for (var length = 0; length < body.Length; length++)
        {
            Throws(S3ErrorCode.MalformedXML, () => OwnershipControlsXml.Parse(body[..length]));
        }

        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var input = (byte[])body.Clone();
            input[random.Next(input.Length)] = (byte)random.Next(256);
            try
            {
                OwnershipControlsXml.Parse(input);
            }
            catch (S3Exception e)
            {
                Assert.Equal(S3ErrorCode.MalformedXML, e.Error);
            }
        }
    }

    [Fact]
    public void PublicAccessBlock_WriteIsExact_AndParsesBack()
    {
        var configuration = new PublicAccessBlockConfiguration(true, false, true, false);

        var body = PublicAccessBlockXml.Write(configuration);

        Assert.Equal(
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?><PublicAccessBlockConfiguration {Ns}><BlockPublicAcls>true</BlockPublicAcls>"
            + "<IgnorePublicAcls>false</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>",
            Encoding.UTF8.GetString(body));
        Assert.Equal(configuration, PublicAccessBlockXml.Parse(body));
    }

    [Fact]
    public void PublicAccessBlock_ParseTreatsMissingElementsAsFalse_AndAcceptsAnyCase()
    {
        Assert.Equal(PublicAccessBlockConfiguration.None, PublicAccessBlockXml.Parse(Utf8($"<PublicAccessBlockConfiguration {Ns}></PublicAccessBlockConfiguration>")));
        Assert.Equal(PublicAccessBlockConfiguration.None, PublicAccessBlockXml.Parse(Utf8("<PublicAccessBlockConfiguration/>")));
        Assert.Equal(
            new PublicAccessBlockConfiguration(false, true, false, true),
            PublicAccessBlockXml.Parse(Utf8("<PublicAccessBlockConfiguration><RestrictPublicBuckets>TRUE</RestrictPublicBuckets><IgnorePublicAcls> True </IgnorePublicAcls></PublicAccessBlockConfiguration>")));
    }

    [Theory]
    [InlineData("<PublicAccessBlockConfiguration><BlockPublicAcls>yes</BlockPublicAcls></PublicAccessBlockConfiguration>")]
    [InlineData("<PublicAccessBlockConfiguration><BlockPublicAcls></BlockPublicAcls></PublicAccessBlockConfiguration>")]
    [InlineData("<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlockConfiguration>")]
    [InlineData("<PublicAccessBlockConfiguration><BlockEverything>true</BlockEverything></PublicAccessBlockConfiguration>")]
    [InlineData("<PublicAccessBlock><BlockPublicAcls>true</BlockPublicAcls></PublicAccessBlock>")]
    [InlineData("<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>")]
    public void PublicAccessBlock_ParseThrowsMalformedXml_WhenDocumentIsInvalid(string xml)
    {
        Throws(S3ErrorCode.MalformedXML, () => PublicAccessBlockXml.Parse(Utf8(xml)));
    }

    [Fact]
    public void PublicAccessBlock_ParseRejectsEveryTruncation()
    {
        var body = PublicAccessBlockXml.Write(PublicAccessBlockConfiguration.All);
        for (var length = 0; length < body.Length; length++)
        {
            Throws(S3ErrorCode.MalformedXML, () => PublicAccessBlockXml.Parse(body[..length]));
        }
    }
}
