using System.Net;

namespace ComIO.ApiService.Protocol.Errors;

/// <summary>Error codes used by the front end that the base catalog does not list.</summary>
public static class S3ErrorCodes
{
    public static readonly S3ErrorCode MalformedPolicy = new("MalformedPolicy", HttpStatusCode.BadRequest, "Policies must be valid JSON and the first byte must be '{'");
    public static readonly S3ErrorCode NoSuchEntity = new("NoSuchEntity", HttpStatusCode.NotFound, "The request was rejected because it referenced an entity that does not exist.");
    public static readonly S3ErrorCode EntityAlreadyExists = new("EntityAlreadyExists", HttpStatusCode.Conflict, "The request was rejected because it attempted to create a resource that already exists.");

    public static readonly S3ErrorCode InvalidURI = new("InvalidURI", HttpStatusCode.BadRequest, "Couldn't parse the specified URI.");
    public static readonly S3ErrorCode InvalidObjectName = new("InvalidObjectName", HttpStatusCode.BadRequest, "Object name contains unsupported characters.");
    public static readonly S3ErrorCode InvalidPart = new("InvalidPart", HttpStatusCode.BadRequest, "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");
    public static readonly S3ErrorCode InvalidPartOrder = new("InvalidPartOrder", HttpStatusCode.BadRequest, "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
    public static readonly S3ErrorCode NotModified = new("NotModified", HttpStatusCode.NotModified, "Not Modified");
    public static readonly S3ErrorCode InvalidStorageClass = new("InvalidStorageClass", HttpStatusCode.BadRequest, "The storage class you specified is not valid");
    public static readonly S3ErrorCode UnexpectedContent = new("UnexpectedContent", HttpStatusCode.BadRequest, "This request does not support content");
    public static readonly S3ErrorCode NoSuchBucketPolicy = new("NoSuchBucketPolicy", HttpStatusCode.NotFound, "The bucket policy does not exist");
    public static readonly S3ErrorCode NoSuchTagSet = new("NoSuchTagSet", HttpStatusCode.NotFound, "The TagSet does not exist");
    public static readonly S3ErrorCode InvalidTag = new("InvalidTag", HttpStatusCode.BadRequest, "The tag provided was not a valid tag.");
    public static readonly S3ErrorCode InvalidPartNumber = new("InvalidPartNumber", HttpStatusCode.RequestedRangeNotSatisfiable, "The requested partnumber is not satisfiable");
    public static readonly S3ErrorCode NoSuchVersion = new("NoSuchVersion", HttpStatusCode.NotFound, "The specified version does not exist.");
    public static readonly S3ErrorCode IllegalLocationConstraintException = new("IllegalLocationConstraintException", HttpStatusCode.BadRequest, "The location constraint is incompatible for the region specific endpoint this request was sent to.");
    public static readonly S3ErrorCode RequestHeaderSectionTooLarge = new("RequestHeaderSectionTooLarge", HttpStatusCode.BadRequest, "Your request header section exceeds the maximum allowed size.");
    public static readonly S3ErrorCode MalformedACLError = new("MalformedACLError", HttpStatusCode.BadRequest, "The XML you provided was not well-formed or did not validate against our published schema");
    public static readonly S3ErrorCode UnresolvableGrantByEmailAddress = new("UnresolvableGrantByEmailAddress", HttpStatusCode.BadRequest, "The e-mail address you provided does not match any account on record.");
    public static readonly S3ErrorCode AccessControlListNotSupported = new("AccessControlListNotSupported", HttpStatusCode.BadRequest, "The bucket does not allow ACLs");
    public static readonly S3ErrorCode InvalidBucketAclWithObjectOwnership = new("InvalidBucketAclWithObjectOwnership", HttpStatusCode.BadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    public static readonly S3ErrorCode OwnershipControlsNotFoundError = new("OwnershipControlsNotFoundError", HttpStatusCode.NotFound, "The bucket ownership controls were not found");
    public static readonly S3ErrorCode NoSuchPublicAccessBlockConfiguration = new("NoSuchPublicAccessBlockConfiguration", HttpStatusCode.NotFound, "The public access block configuration was not found");
    public static readonly S3ErrorCode BadRequest = new("BadRequest", HttpStatusCode.BadRequest, "Bad Request");
    public static readonly S3ErrorCode AccessForbidden = new("AccessForbidden", HttpStatusCode.Forbidden, "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.");
    public static readonly S3ErrorCode NoSuchCORSConfiguration = new("NoSuchCORSConfiguration", HttpStatusCode.NotFound, "The CORS configuration does not exist");
    public static readonly S3ErrorCode InvalidBucketState = new("InvalidBucketState", HttpStatusCode.Conflict, "The request is not valid with the current state of the bucket.");
    public static readonly S3ErrorCode ReplicationConfigurationNotFoundError = new("ReplicationConfigurationNotFoundError", HttpStatusCode.NotFound, "The replication configuration was not found");
    public static readonly S3ErrorCode NoSuchLifecycleConfiguration = new("NoSuchLifecycleConfiguration", HttpStatusCode.NotFound, "The lifecycle configuration does not exist");
    public static readonly S3ErrorCode MaxMessageLengthExceeded = new("MaxMessageLengthExceeded", HttpStatusCode.BadRequest, "Your request was too big.");
    public static readonly S3ErrorCode MalformedPOSTRequest = new("MalformedPOSTRequest", HttpStatusCode.BadRequest, "The body of your POST request is not well-formed multipart/form-data.");
    /// <summary>As S3 sends it on the wire (code without the documented "Error" suffix, message spelled as S3 spells it).</summary>
    public static readonly S3ErrorCode MaxPostPreDataLengthExceeded = new("MaxPostPreDataLengthExceeded", HttpStatusCode.BadRequest, "Your POST request fields preceeding the upload file was too large.");
    public static readonly S3ErrorCode InvalidPolicyDocument = new("InvalidPolicyDocument", HttpStatusCode.BadRequest, "The content of the form does not meet the conditions specified in the policy document.");
}
