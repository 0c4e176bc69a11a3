using System.Net;

namespace ComIO.ApiService.Protocol.Errors;

/// <summary>
/// An S3 error code with the HTTP status and default message AWS documents for it
/// (S3 API reference, "Error responses"). Instances are immutable and compared by <see cref="Code"/>.
/// </summary>
public sealed record S3ErrorCode(string Code, HttpStatusCode Status, string DefaultMessage)
{
    public static readonly S3ErrorCode AccessDenied = new("AccessDenied", HttpStatusCode.Forbidden, "Access Denied");
    public static readonly S3ErrorCode AuthorizationHeaderMalformed = new("AuthorizationHeaderMalformed", HttpStatusCode.BadRequest, "The authorization header is malformed.");
    public static readonly S3ErrorCode AuthorizationQueryParametersError = new("AuthorizationQueryParametersError", HttpStatusCode.BadRequest, "Error parsing the X-Amz-Credential parameter.");
    public static readonly S3ErrorCode BadDigest = new("BadDigest", HttpStatusCode.BadRequest, "The Content-MD5 you specified did not match what we received.");
    public static readonly S3ErrorCode BucketAlreadyExists = new("BucketAlreadyExists", HttpStatusCode.Conflict, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.");
    public static readonly S3ErrorCode BucketAlreadyOwnedByYou = new("BucketAlreadyOwnedByYou", HttpStatusCode.Conflict, "Your previous request to create the named bucket succeeded and you already own it.");
    public static readonly S3ErrorCode BucketNotEmpty = new("BucketNotEmpty", HttpStatusCode.Conflict, "The bucket you tried to delete is not empty");
    public static readonly S3ErrorCode EntityTooLarge = new("EntityTooLarge", HttpStatusCode.BadRequest, "Your proposed upload exceeds the maximum allowed object size.");
    public static readonly S3ErrorCode EntityTooSmall = new("EntityTooSmall", HttpStatusCode.BadRequest, "Your proposed upload is smaller than the minimum allowed object size.");
    public static readonly S3ErrorCode IncompleteBody = new("IncompleteBody", HttpStatusCode.BadRequest, "You did not provide the number of bytes specified by the Content-Length HTTP header.");
    public static readonly S3ErrorCode InsufficientStorage = new("InsufficientStorage", (HttpStatusCode)507, "Your request could not be completed because the storage node is out of space.");
    public static readonly S3ErrorCode InternalError = new("InternalError", HttpStatusCode.InternalServerError, "We encountered an internal error. Please try again.");
    public static readonly S3ErrorCode InvalidAccessKeyId = new("InvalidAccessKeyId", HttpStatusCode.Forbidden, "The AWS Access Key Id you provided does not exist in our records.");
    public static readonly S3ErrorCode InvalidArgument = new("InvalidArgument", HttpStatusCode.BadRequest, "Invalid Argument");
    public static readonly S3ErrorCode InvalidBucketName = new("InvalidBucketName", HttpStatusCode.BadRequest, "The specified bucket is not valid.");
    public static readonly S3ErrorCode InvalidDigest = new("InvalidDigest", HttpStatusCode.BadRequest, "The Content-MD5 you specified is not valid.");
    public static readonly S3ErrorCode InvalidRange = new("InvalidRange", HttpStatusCode.RequestedRangeNotSatisfiable, "The requested range is not satisfiable");
    public static readonly S3ErrorCode InvalidRequest = new("InvalidRequest", HttpStatusCode.BadRequest, "Invalid Request");
    public static readonly S3ErrorCode KeyTooLongError = new("KeyTooLongError", HttpStatusCode.BadRequest, "Your key is too long");
    public static readonly S3ErrorCode MalformedXML = new("MalformedXML", HttpStatusCode.BadRequest, "The XML you provided was not well-formed or did not validate against our published schema.");
    public static readonly S3ErrorCode MetadataTooLarge = new("MetadataTooLarge", HttpStatusCode.BadRequest, "Your metadata headers exceed the maximum allowed metadata size.");
    public static readonly S3ErrorCode MethodNotAllowed = new("MethodNotAllowed", HttpStatusCode.MethodNotAllowed, "The specified method is not allowed against this resource.");
    public static readonly S3ErrorCode MissingContentLength = new("MissingContentLength", HttpStatusCode.LengthRequired, "You must provide the Content-Length HTTP header.");
    public static readonly S3ErrorCode MissingSecurityHeader = new("MissingSecurityHeader", HttpStatusCode.BadRequest, "Your request was missing a required header.");
    public static readonly S3ErrorCode NoSuchBucket = new("NoSuchBucket", HttpStatusCode.NotFound, "The specified bucket does not exist");
    public static readonly S3ErrorCode NoSuchKey = new("NoSuchKey", HttpStatusCode.NotFound, "The specified key does not exist.");
    public static readonly S3ErrorCode NoSuchUpload = new("NoSuchUpload", HttpStatusCode.NotFound, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
    public static readonly S3ErrorCode NotImplemented = new("NotImplemented", HttpStatusCode.NotImplemented, "A header or query you provided implies functionality that is not implemented.");
    public static readonly S3ErrorCode PreconditionFailed = new("PreconditionFailed", HttpStatusCode.PreconditionFailed, "At least one of the preconditions you specified did not hold.");
    public static readonly S3ErrorCode RequestTimeTooSkewed = new("RequestTimeTooSkewed", HttpStatusCode.Forbidden, "The difference between the request time and the server's time is too large.");
    public static readonly S3ErrorCode ServiceUnavailable = new("ServiceUnavailable", HttpStatusCode.ServiceUnavailable, "Service is unable to handle request.");
    public static readonly S3ErrorCode SignatureDoesNotMatch = new("SignatureDoesNotMatch", HttpStatusCode.Forbidden, "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
    public static readonly S3ErrorCode SlowDown = new("SlowDown", HttpStatusCode.ServiceUnavailable, "Please reduce your request rate.");
    public static readonly S3ErrorCode XAmzContentSHA256Mismatch = new("XAmzContentSHA256Mismatch", HttpStatusCode.BadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed.");
}
