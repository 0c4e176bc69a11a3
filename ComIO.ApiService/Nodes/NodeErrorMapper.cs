using ComIO.ApiService.Protocol.Errors;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Nodes;

/// <summary>The one mapping from storage node outcomes to S3 errors.</summary>
public static class NodeErrorMapper
{
    public static S3Exception ToS3(NodeError error) => error.Status switch
    {
        NodeStatus.NoSuchBucket => new S3Exception(S3ErrorCode.NoSuchBucket),
        NodeStatus.NoSuchKey => new S3Exception(S3ErrorCode.NoSuchKey),
        NodeStatus.BucketAlreadyExists => new S3Exception(S3ErrorCode.BucketAlreadyOwnedByYou),
        NodeStatus.BucketNotEmpty => new S3Exception(S3ErrorCode.BucketNotEmpty),
        NodeStatus.BadDigest => new S3Exception(S3ErrorCode.BadDigest, error.Message),
        NodeStatus.IncompleteBody => new S3Exception(S3ErrorCode.IncompleteBody),
        NodeStatus.InsufficientStorage => new S3Exception(S3ErrorCode.InsufficientStorage),
        NodeStatus.PreconditionFailed => new S3Exception(S3ErrorCode.PreconditionFailed),
        NodeStatus.InvalidRequest => new S3Exception(S3ErrorCode.InvalidRequest, error.Message),
        NodeStatus.NoSuchUpload => new S3Exception(S3ErrorCode.NoSuchUpload),
        NodeStatus.InvalidPart => new S3Exception(S3ErrorCodes.InvalidPart),
        NodeStatus.InvalidPartOrder => new S3Exception(S3ErrorCodes.InvalidPartOrder),
        NodeStatus.EntityTooSmall => new S3Exception(S3ErrorCode.EntityTooSmall),
        NodeStatus.EntityTooLarge => new S3Exception(S3ErrorCode.EntityTooLarge),
        NodeStatus.NoSuchVersion => new S3Exception(S3ErrorCodes.NoSuchVersion),
        NodeStatus.MethodNotAllowed => new S3Exception(S3ErrorCode.MethodNotAllowed),
        NodeStatus.ObjectLocked => new S3Exception(ObjectLockErrorCodes.ObjectLocked),
        NodeStatus.InvalidBucketState => new S3Exception(S3ErrorCodes.InvalidBucketState, "Versioning must be 'Enabled' on the bucket to store replicas."),
        _ => new S3Exception(S3ErrorCode.InternalError),
    };

    /// <summary>Throws the S3 error for a failed call; returns the value of a successful one.</summary>
    public static T? OrThrow<T>(this NodeResult<T> result) => result.IsSuccess ? result.Value : throw ToS3(result.Error!);
}
