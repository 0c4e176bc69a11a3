using ComIO.ApiService.Identity;

namespace ComIO.ApiService.Admin;

/// <summary>A user as the admin API shows it (never with secrets).</summary>
public sealed record UserView(string Name, string CanonicalId, string Arn, IdentityStatus Status, bool Administrator, DateTimeOffset CreatedAt, IReadOnlyList<string> Policies);

/// <summary>An access key as the admin API lists it (the secret is shown only once, at creation).</summary>
public sealed record AccessKeyView(string AccessKeyId, string UserName, IdentityStatus Status, DateTimeOffset CreatedAt);

/// <summary>A newly issued access key with its secret: the only time the secret is ever returned.</summary>
public sealed record NewAccessKeyView(string AccessKeyId, string SecretAccessKey, string UserName, IdentityStatus Status, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /users</c>.</summary>
public sealed record CreateUserRequest(string Name, bool Administrator = false);

/// <summary>Body of the status routes: <c>Active</c> or <c>Inactive</c>.</summary>
public sealed record StatusRequest(IdentityStatus Status);

/// <summary>One storage node's state as seen from this API replica.</summary>
public sealed record NodeStatusView(string Id, bool Reachable, bool Healthy, long CapacityBytes, long UsedBytes, long FreeBytes, long ObjectCount, long ChecksumFailures, string? Error);

/// <summary>This site: its name, region, and nodes with capacity and health.</summary>
public sealed record ClusterStatusView(string Site, string Region, long CapacityBytes, long UsedBytes, long FreeBytes, IReadOnlyList<NodeStatusView> Nodes);

/// <summary>One consumer group of the site's replication stream.</summary>
public sealed record ReplicationGroupView(string Name, long Pending, long Consumers, string? LastDeliveredId, long? Lag);

/// <summary>The site's replication stream in Redis.</summary>
public sealed record ReplicationStatusView(bool Configured, string Stream, long Length, IReadOnlyList<ReplicationGroupView> Groups, string? Error, long DeadLetters = 0);

/// <summary>Body of <c>POST /replication/resync</c>: the bucket whose existing versions are queued again.</summary>
public sealed record ResyncRequestBody(string? Bucket, bool IncludeCompleted = false);

/// <summary>How many versions a resync queued (not yet replicated or failed; with includeCompleted, completed too) and skipped.</summary>
public sealed record ResyncView(string Bucket, long Queued, long Skipped);

/// <summary>An admin API error: a stable code (S3-style names) and a message.</summary>
public sealed record AdminError(string Code, string Message);
