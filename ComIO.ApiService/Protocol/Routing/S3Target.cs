namespace ComIO.ApiService.Protocol.Routing;

/// <summary>
/// The bucket and key a request addresses, decoded from path-style (<c>/bucket/key</c>) or virtual-host-style
/// (<c>bucket.s3.example.com/key</c>) addressing. <see cref="Key"/> is percent-decoded exactly once; a <c>+</c>
/// in the path stays a <c>+</c>.
/// </summary>
public sealed record S3Target(string? Bucket, string? Key)
{
    public bool HasBucket => !string.IsNullOrEmpty(Bucket);

    public bool HasKey => !string.IsNullOrEmpty(Key);

    /// <summary>The S3 <c>Resource</c> of error responses: <c>/bucket/key</c>.</summary>
    public string Resource => HasKey ? $"/{Bucket}/{Key}" : HasBucket ? $"/{Bucket}" : "/";
}
