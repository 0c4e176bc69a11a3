namespace ComIO.ApiService.Tests.Access;

/// <summary>A user created through the admin API for a test, with one access key and its secret.</summary>
public sealed record TestUser(string Name, string CanonicalId, string AccessKeyId, string SecretKey);
