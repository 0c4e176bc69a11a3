using System.Net;
using ComIO.ApiService.Protocol.Xml;

namespace ComIO.ApiService.Browser.PostObject;

/// <summary>
/// The success response of a browser upload, as S3 builds it. A <c>success_action_redirect</c> (or legacy
/// <c>redirect</c>) that is an absolute http(s) URL wins: 303 with <see cref="RedirectLocation"/> = the URL plus
/// <c>bucket</c>, <c>key</c> and <c>etag</c> query parameters, form-encoded as S3 does (<c>/</c> as <c>%2F</c>, a space
/// as <c>+</c>, the ETag's quotes as <c>%22</c>), after any query the URL already has (kept as sent); a relative or
/// non-http(s) value is ignored. Otherwise <c>success_action_status</c> picks 200 or 204 (empty body) or 201
/// (a <c>PostResponse</c> document with Location, Bucket, Key, ETag); missing or any other value is 204. The caller
/// also sends <c>ETag</c> and <c>Location</c> headers with every success (<c>Location</c> and the 201 document's
/// <c>Location</c> are the object URL with the key percent-encoded, <c>/</c> included; the document's <c>Key</c> is
/// raw). Immutable.
/// </summary>
public sealed class PostObjectResponse
{
    private PostObjectResponse(int statusCode, byte[] body, string? contentType, string? redirectLocation)
    {
        StatusCode = statusCode;
        Body = body;
        ContentType = contentType;
        RedirectLocation = redirectLocation;
    }

    public int StatusCode { get; }

    /// <summary>The response body; empty except for 201.</summary>
    public byte[] Body { get; }

    /// <summary><c>application/xml</c> for 201, otherwise null.</summary>
    public string? ContentType { get; }

    /// <summary>The <c>Location</c> to redirect to with 303, otherwise null.</summary>
    public string? RedirectLocation { get; }

    /// <summary>
    /// Builds the response. <paramref name="etag"/> is the quoted ETag; <paramref name="location"/> is the object's URL
    /// (the 201 document's <c>Location</c>).
    /// </summary>
    public static PostObjectResponse Create(string? successActionStatus, string? successActionRedirect, string bucket, string key, string etag, string location)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(etag);
        ArgumentNullException.ThrowIfNull(location);
        if (!string.IsNullOrEmpty(successActionRedirect)
            && Uri.TryCreate(successActionRedirect, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var separator = successActionRedirect.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            if (successActionRedirect.EndsWith('?') || successActionRedirect.EndsWith('&'))
            {
                separator = '\0';
            }

            var query = $"bucket={WebUtility.UrlEncode(bucket)}&key={WebUtility.UrlEncode(key)}&etag={WebUtility.UrlEncode(etag)}";
            var target = separator == '\0' ? successActionRedirect + query : $"{successActionRedirect}{separator}{query}";
            return new PostObjectResponse(StatusCodes.Status303SeeOther, [], null, target);
        }

        switch (successActionStatus)
        {
            case "200":
                return new PostObjectResponse(StatusCodes.Status200OK, [], null, null);
            case "201":
                var body = S3Xml.Document("PostResponse", writer =>
                {
                    writer.Element("Location", location);
                    writer.Element("Bucket", bucket);
                    writer.Element("Key", key);
                    writer.Element("ETag", etag);
                }, withNamespace: false);
                return new PostObjectResponse(StatusCodes.Status201Created, body, S3Xml.ContentType, null);
            default:
                return new PostObjectResponse(StatusCodes.Status204NoContent, [], null, null);
        }
    }
}
