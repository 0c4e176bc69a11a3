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

    /// <summary>The multipart upload does not exist (never created, completed or aborted).</summary>
    NoSuchUpload,

    /// <summary>A listed part was not uploaded or its ETag does not match.</summary>
    InvalidPart,

    /// <summary>Listed part numbers are not strictly ascending.</summary>
    InvalidPartOrder,

    /// <summary>A part other than the last is smaller than 5 MiB.</summary>
    EntityTooSmall,

    /// <summary>The completed object would exceed the 5 TiB S3 object size limit.</summary>
    EntityTooLarge,

    /// <summary>The named version of the object does not exist.</summary>
    NoSuchVersion,

    /// <summary>The operation does not apply to the named version (e.g. tagging a delete marker).</summary>
    MethodNotAllowed,

    /// <summary>
    /// Object Lock refused the change: the version is under an active retention or a legal hold (delete, in-place
    /// overwrite), or a retention change would shorten or remove a COMPLIANCE retention (or a GOVERNANCE one without
    /// bypass). The S3 API answers 403 AccessDenied.
    /// </summary>
    ObjectLocked,

    /// <summary>The bucket's versioning state does not allow the operation (a replica needs versioning Enabled).</summary>
    InvalidBucketState,

    /// <summary>The version is encrypted at rest and the read did not supply its data key (nothing is served).</summary>
    EncryptionKeyRequired,
}
