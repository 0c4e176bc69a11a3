namespace ComIO.ApiService.Configuration;

/// <summary>S3 front-end settings (<c>S3__…</c>).</summary>
public sealed class S3Options
{
    public const string SectionName = "S3";

    /// <summary>The region this endpoint reports (GetBucketLocation, x-amz-bucket-region).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Base domains for virtual-host-style addressing, e.g. <c>s3.localhost</c> makes <c>bucket.s3.localhost</c> address <c>bucket</c>.</summary>
    public List<string> VirtualHostDomains { get; set; } = ["s3.localhost"];
}
