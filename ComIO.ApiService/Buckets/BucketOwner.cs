namespace ComIO.ApiService.Buckets;

/// <summary>The stored form (JSON) of a bucket's owner: S3 canonical user id and display name.</summary>
public sealed record BucketOwner(string Id, string DisplayName);
