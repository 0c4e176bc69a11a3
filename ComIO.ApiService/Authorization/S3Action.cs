namespace ComIO.ApiService.Authorization;

/// <summary>The IAM action an S3 operation needs (e.g. <c>s3:GetObject</c>) and the level of its resource.</summary>
public sealed record S3Action(string Name, S3ActionLevel Level);
