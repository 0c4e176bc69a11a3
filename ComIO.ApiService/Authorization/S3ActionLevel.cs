namespace ComIO.ApiService.Authorization;

/// <summary>What an S3 action applies to: the service (no bucket), a bucket, or an object in a bucket.</summary>
public enum S3ActionLevel
{
    Service,
    Bucket,
    Object,
}
