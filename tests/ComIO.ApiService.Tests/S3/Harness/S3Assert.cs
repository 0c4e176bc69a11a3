using System.Net;
using System.Xml.Linq;
using Xunit;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>Assertions on S3 wire responses: error documents as AWS shapes them, and the headers every response carries.</summary>
public static class S3Assert
{
    /// <summary>
    /// Asserts an S3 error: status, <c>x-amz-request-id</c>, and (except for HEAD, which has no body) an <c>Error</c>
    /// document without namespace holding Code, Message, Resource and the same RequestId. Returns the document (null for HEAD).
    /// </summary>
    public static async Task<XElement?> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? resource = null)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"Expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        var requestId = RequestId(response);
        if (response.RequestMessage?.Method == HttpMethod.Head || status == HttpStatusCode.NotModified)
        {
            Assert.Equal("", body);
            return null;
        }

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var error = XDocument.Parse(body).Root!;
        Assert.Equal("Error", error.Name.LocalName);
        Assert.Equal(XNamespace.None, error.Name.Namespace);
        Assert.Equal(code, error.Element("Code")?.Value);
        Assert.False(string.IsNullOrEmpty(error.Element("Message")?.Value), "Message must not be empty");
        Assert.Equal(requestId, error.Element("RequestId")?.Value);
        Assert.NotNull(error.Element("Resource"));
        if (resource is not null)
        {
            Assert.Equal(resource, error.Element("Resource")!.Value);
        }

        return error;
    }

    /// <summary>Asserts the response carries a non-empty <c>x-amz-request-id</c> and returns it.</summary>
    public static string RequestId(HttpResponseMessage response)
    {
        var id = S3Wire.Header(response, "x-amz-request-id");
        Assert.False(string.IsNullOrEmpty(id), "x-amz-request-id must be present on every response");
        return id!;
    }

    /// <summary>Runs an SDK call that must fail and checks the S3 error code and HTTP status it reports.</summary>
    public static async Task<Amazon.S3.AmazonS3Exception> SdkErrorAsync(Func<Task> call, HttpStatusCode status, string code)
    {
        var error = await Assert.ThrowsAnyAsync<Amazon.S3.AmazonS3Exception>(call);
        Assert.Equal(status, error.StatusCode);
        if (code.Length > 0)
        {
            Assert.Equal(code, error.ErrorCode);
        }

        return error;
    }
}
