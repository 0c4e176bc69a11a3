namespace ComIO.AppHost.Redis;

/// <summary>
/// <c>redis-server</c> run as an executable (no container engine is required) that still offers a connection
/// string, so services consume it with <c>WithReference</c> and <c>AddRedisClient</c> exactly as with the
/// container-based Redis integration.
/// </summary>
public sealed class RedisServerResource(string name, string workingDirectory)
    : ExecutableResource(name, "redis-server", workingDirectory), IResourceWithConnectionString
{
    /// <summary>Name of the TCP endpoint Redis listens on.</summary>
    public const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create(
            $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
