namespace ComIO.Storage;

/// <summary>Expected outcomes of engine operations. I/O failures and bugs are exceptions, not statuses.</summary>
public enum EngineStatus
{
    Ok,
    NoSuchBucket,
    NoSuchKey,
    BucketAlreadyExists,
    BucketNotEmpty,
    BadDigest,
    IncompleteBody,
    InsufficientStorage,
    PreconditionFailed,
}
