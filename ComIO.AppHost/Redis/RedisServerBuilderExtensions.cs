namespace ComIO.AppHost.Redis;

public static class RedisServerBuilderExtensions
{
    /// <summary>
    /// Adds a <c>redis-server</c> process bound to loopback on a fixed port, persisting to <paramref name="dataDirectory"/>
    /// with AOF (fsync every second): it is the site's replication queue, so a restart must not empty it.
    /// </summary>
    public static IResourceBuilder<RedisServerResource> AddRedisServer(
        this IDistributedApplicationBuilder builder, string name, int port, string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var resource = new RedisServerResource(name, dataDirectory);
        return builder.AddResource(resource)
            .WithEndpoint(name: RedisServerResource.EndpointName, scheme: "tcp", port: port, targetPort: port, isProxied: false)
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                context.Args.Add("--save");
                context.Args.Add("");
                context.Args.Add("--protected-mode");
                context.Args.Add("yes");
            });
    }
}
