using ComIO.ApiService.Admin;
using ComIO.ApiService.Audit;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Routing;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace ComIO.ApiService.Hosting;

/// <summary>
/// Composes the API service: its services (authentication, authorization, handlers, node client) and its endpoints (S3
/// fallback, admin API, OpenAPI document, Scalar page). Used by the service's <c>Program</c> and by any host that embeds
/// the API service (e.g. <c>comio server</c>), so every host runs the same code.
/// </summary>
public static class ApiServiceComposition
{
    /// <summary>Registers the API service's services. Requires <c>Cluster:Secret</c>, <c>Cluster:Nodes</c> and the admin keys.</summary>
    public static WebApplicationBuilder AddComIOApiService(this WebApplicationBuilder builder)
    {
        // ASP.NET Core's request lines print raw query strings (presigned URL signatures): off; RequestLogMiddleware logs them redacted.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // S3 limits are enforced per operation (5 GiB single PUT)
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
        builder.Services.AddOptions<S3Options>().BindConfiguration(S3Options.SectionName);
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);

        var authSettings = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        if (string.IsNullOrEmpty(authSettings.AdminAccessKey) || string.IsNullOrEmpty(authSettings.AdminSecretKey))
        {
            throw new InvalidConfigurationException("auth.admin_access_key and auth.admin_secret_key (Auth:AdminAccessKey, Auth:AdminSecretKey) are required.");
        }

        var secretProtector = new SecretProtector(authSettings.SecretEncryptionKey);
        builder.Services.AddSingleton(secretProtector);
        builder.Services.AddSingleton<ICredentialStore>(new InMemoryCredentialStore([]));
        builder.Services.AddSingleton(sp => new SigV4Authenticator(sp.GetRequiredService<ICredentialStore>(), sp.GetRequiredService<TimeProvider>(), new SigV4Options()));
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.SectionName);
        builder.Services.AddSingleton<PeerSites>();
        builder.Services.AddHttpClient(PeerSites.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30))
            .AddHttpMessageHandler(sp => new SigV4SigningHandler(
                authSettings.AdminAccessKey, authSettings.AdminSecretKey, sp.GetRequiredService<IOptions<S3Options>>().Value.Region, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IdentityStore>();
        builder.Services.AddSingleton<CredentialResolver>();
        builder.Services.AddSingleton<IdentityBinding>();
        builder.Services.AddSingleton<RequestAuthenticator>();
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<BucketSettingsStore>();
        builder.Services.AddOptions<Encryption.EncryptionOptions>().BindConfiguration(Encryption.EncryptionOptions.SectionName);
        var encryptionSettings = builder.Configuration.GetSection(Encryption.EncryptionOptions.SectionName).Get<Encryption.EncryptionOptions>() ?? new Encryption.EncryptionOptions();
        builder.Services.AddSingleton(new Encryption.MasterKeyRing(encryptionSettings));
        builder.Services.AddSingleton<Encryption.Kms.KmsKeyStore>();
        builder.Services.AddSingleton<Encryption.ObjectEncryption>();
        builder.Services.AddSingleton<Encryption.EncryptedObjectReader>();
        builder.Services.AddSingleton<Encryption.BucketEncryptionHandlers>();
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("redis")))
        {
            builder.AddRedisClient("redis");
        }

        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        builder.Services.AddOpenApi(AdminRoutes.DocumentName, openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ComIO admin API";
            document.Info.Description = "Users, access keys, identity policies, cluster and replication status. Every call must be "
                + "signed with AWS Signature Version 4 (service s3) by the admin or a user marked administrator.";
            return Task.CompletedTask;
        }));
        builder.Services.AddSingleton(sp => new S3TargetParser(sp.GetRequiredService<IOptions<S3Options>>().Value.VirtualHostDomains));

        var clusterSecret = builder.Configuration["Cluster:Secret"];
        if (string.IsNullOrEmpty(clusterSecret))
        {
            throw new InvalidConfigurationException("Cluster:Secret (cluster.secret) is required to call the storage nodes.");
        }

        builder.Services.AddSingleton<ClusterNodes>();
        // No IHttpClientFactory logging handlers on the node client: they open a log scope per call on the hottest path
        // (their messages are below the configured level anyway); node failures are logged where they are handled.
        builder.Services.AddHttpClient<StorageNodeClient>(StorageNodeClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddHttpMessageHandler(() => new ClusterSecretHandler(clusterSecret))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
                UseCookies = false,
                AllowAutoRedirect = false, // a node never redirects; one that did would be answered as an error, not followed
            });

        builder.Services.AddSingleton<PolicyCache>();
        builder.Services.AddSingleton<Authorizer>();
        builder.Services.AddSingleton<AclAssignment>();
        builder.Services.AddSingleton<AclHandlers>();
        builder.Services.AddSingleton<BucketPolicyHandlers>();
        builder.Services.AddSingleton<BucketAccessSettingsHandlers>();
        builder.Services.AddSingleton<CorsHandlers>();
        builder.Services.AddSingleton<PostObjectHandler>();
        builder.Services.AddSingleton<BucketHandlers>();
        builder.Services.AddSingleton<ObjectHandlers>();
        builder.Services.AddSingleton<BucketLister>();
        builder.Services.AddSingleton<ListObjectsHandler>();
        builder.Services.AddSingleton<DeleteObjectsHandler>();
        builder.Services.AddSingleton<MultipartHandlers>();
        builder.Services.AddSingleton<MultipartListingHandlers>();
        builder.Services.AddSingleton<TaggingHandlers>();
        builder.Services.AddSingleton<VersioningHandlers>();
        builder.Services.AddSingleton<ObjectLockHandlers>();
        builder.Services.AddSingleton<Lifecycle.LifecycleHandlers>();
        builder.Services.AddOptions<Replication.ReplicationOptions>().BindConfiguration(Replication.ReplicationOptions.SectionName);
        builder.Services.AddSingleton<Replication.ReplicationPlanner>();
        builder.Services.AddSingleton<Replication.ReplicationHandlers>();
        builder.Services.AddSingleton<Replication.ReplicationResync>();
        builder.Services.AddSingleton<S3Router>();
        builder.Services.AddSingleton<S3Endpoint>();
        return builder;
    }

    /// <summary>Maps the admin API, OpenAPI document, Scalar page and — for every other path — the S3 endpoint.</summary>
    public static WebApplication MapComIOApiService(this WebApplication app)
    {
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseAdminAuthentication();
        app.MapAdminApi();
        app.MapOpenApi("/_comio/openapi/{documentName}.json");
        app.MapScalarApiReference("/_comio/scalar", scalar => scalar
            .WithTitle("ComIO admin API")
            .WithOpenApiRoutePattern("/_comio/openapi/{documentName}.json")
            .AddDocument(AdminRoutes.DocumentName));
        // Every path that is not /health, /alive or /metrics is S3 (any method, any key, including ones with dots).
        var endpoint = app.Services.GetRequiredService<S3Endpoint>();
        app.MapFallback("{**path}", endpoint.HandleAsync).ExcludeFromDescription();
        return app;
    }
}
