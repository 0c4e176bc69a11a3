using ComIO.ApiService.Authorization;
using ComIO.ApiService.Browser.PostObject;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Identity;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using ComIO.Contracts.Nodes;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// POST Object (HTML form upload). The form's SigV4 signature over its policy is verified, then every policy condition
/// (expiration, bucket, key, content-length-range, content-type, …), then the signer (or an anonymous caller, when the form
/// is unsigned) is authorized for <c>s3:PutObject</c> like any other request. The file streams to a temporary spool file
/// (so its length is known to the storage node and <c>content-length-range</c> is enforced while reading, in bounded
/// memory), then to the node that owns the key.
/// </summary>
public sealed class PostObjectHandler(
    CredentialResolver credentials,
    Authorizer authorizer,
    AclAssignment aclAssignment,
    BucketSettingsStore settingsStore,
    ClusterNodes cluster,
    StorageNodeClient nodes,
    IOptions<S3Options> s3,
    Replication.ReplicationPlanner replication,
    TimeProvider time,
    Encryption.ObjectEncryption encryption)
{
    /// <summary>The largest file a POST may upload (as a single PutObject).</summary>
    public const long MaxFileBytes = 5L * 1024 * 1024 * 1024;

    public async Task HandleAsync(S3Request request)
    {
        var form = await PostFormReader.ReadAsync(request.Http.Request.ContentType, request.Http.Request.Body, request.Aborted);
        var fields = new Dictionary<string, string>(form.Fields, StringComparer.OrdinalIgnoreCase) { ["bucket"] = request.Bucket };
        var principal = await AuthenticateAsync(fields, request.Aborted);
        PostPolicy? policy = null;
        if (principal is not null)
        {
            policy = PostPolicy.Parse(fields["policy"]);
            PostPolicyValidator.Validate(policy, fields, time.GetUtcNow());
        }

        if (!fields.TryGetValue("key", out var key) || key.Length == 0)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.")
            {
                ExtraElements = [new("ArgumentName", "key"), new("ArgumentValue", "")],
            };
        }

        ObjectHeaders.ValidateKey(key);
        var upload = new S3Request(request.Http, request.RequestId, new S3Target(request.Bucket, key), request.Auth, principal);
        await authorizer.AuthorizeAsync(upload, "s3:PutObject", request.Bucket, key);

        var spool = Path.Combine(Path.GetTempPath(), "comio-post-" + request.RequestId);
        await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 128 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var length = await SpoolAsync(form.File, file, policy, request.Aborted);
        if (policy is not null)
        {
            PostPolicyValidator.ValidateContentLength(policy, length);
        }

        file.Position = 0;
        var settings = await settingsStore.GetAsync(upload);
        var metadata = Metadata(fields, form);
        metadata = metadata with { SystemMetadata = await WithAclAsync(upload, settings, fields, metadata.SystemMetadata), Replication = replication.IntentFor(settings, key) };
        if (fields.Keys.Any(static name => name.StartsWith("x-amz-server-side-encryption", StringComparison.OrdinalIgnoreCase)))
        {
            throw new S3Exception(S3ErrorCode.NotImplemented, "Server-side encryption fields in POST Object are not implemented by ComIO yet.");
        }

        var plan = await encryption.PlanWriteAsync(upload, settings, request.Bucket, key); // the bucket's default encryption
        metadata = Encryption.ObjectEncryption.Apply(metadata, plan);
        var node = cluster.OwnerOf(request.Bucket, key);
        var stored = (await nodes.PutObjectAsync(node, request.Bucket, key, length, metadata, file, request.Aborted, plan?.DataKey, plan?.OpaqueETag ?? false)).OrThrow()!;
        Encryption.ObjectEncryption.WriteResponseHeaders(request.Response, plan);

        var location = $"{request.Http.Request.Scheme}://{request.Http.Request.Host}/{Uri.EscapeDataString(request.Bucket)}/{string.Join('/', key.Split('/').Select(Uri.EscapeDataString))}";
        var response = PostObjectResponse.Create(
            fields.GetValueOrDefault("success_action_status"), fields.GetValueOrDefault("success_action_redirect"), request.Bucket, key, stored.ETag, location);
        request.Response.StatusCode = response.StatusCode;
        request.Response.Headers.ETag = ObjectHeaders.Quote(stored.ETag);
        request.Response.Headers.Location = response.RedirectLocation ?? location;
        if (response.ContentType is { } contentType)
        {
            request.Response.ContentType = contentType;
        }

        request.Response.ContentLength = response.Body.Length;
        await request.Response.Body.WriteAsync(response.Body, request.Aborted);
    }

    /// <summary>The principal that signed the form (null for an unsigned, anonymous form); throws the S3 error otherwise.</summary>
    private async Task<Principal?> AuthenticateAsync(Dictionary<string, string> fields, CancellationToken ct)
    {
        ResolvedCredential? resolved = null;
        if (fields.TryGetValue("X-Amz-Credential", out var credential) && credential.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
        {
            resolved = await credentials.ResolveAsync(credential[..slash], ct);
        }

        var accessKeyId = PostSignatureV4.Verify(fields, id => resolved is not null && resolved.Principal.AccessKeyId == id ? resolved.SecretKey : null, s3.Value.Region);
        return accessKeyId is null ? null : resolved!.Principal;
    }

    /// <summary>Copies the file part to the spool, refusing it as soon as it exceeds the policy's (or S3's) maximum.</summary>
    private static async Task<long> SpoolAsync(Stream source, Stream spool, PostPolicy? policy, CancellationToken ct)
    {
        var max = Math.Min(MaxFileBytes, policy?.ContentLengthRange?.Max ?? MaxFileBytes);
        var buffer = new byte[128 * 1024];
        long length = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            length += read;
            if (length > max)
            {
                if (policy is not null)
                {
                    PostPolicyValidator.ValidateContentLength(policy, length);
                }

                throw new S3Exception(S3ErrorCode.EntityTooLarge);
            }

            await spool.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        await spool.FlushAsync(ct);
        return length;
    }

    /// <summary>The object's metadata from the form fields (Content-Type falls back to the file part's type).</summary>
    private static PutObjectMetadata Metadata(Dictionary<string, string> fields, PostForm form)
    {
        var user = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var system = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in fields)
        {
            if (name.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase))
            {
                user[name["x-amz-meta-".Length..].ToLowerInvariant()] = value;
            }
        }

        foreach (var name in ObjectHeaders.SystemHeaders)
        {
            if (fields.TryGetValue(name, out var value) && value.Length > 0)
            {
                system[name] = value;
            }
        }

        return new PutObjectMetadata
        {
            ContentType = fields.GetValueOrDefault("Content-Type") ?? form.FileContentType,
            UserMetadata = user,
            SystemMetadata = system,
        };
    }

    /// <summary>Adds the object's ACL from the form's <c>acl</c> and <c>x-amz-grant-*</c> fields.</summary>
    private async Task<Dictionary<string, string>> WithAclAsync(S3Request upload, BucketSettings settings, Dictionary<string, string> fields, Dictionary<string, string> system)
    {
        var acl = await aclAssignment.ForNewObjectAsync(upload, settings, name => fields.GetValueOrDefault(name == "x-amz-acl" ? "acl" : name));
        if (acl is not null)
        {
            system[Authorizer.ObjectAclMetadata] = acl;
        }

        return system;
    }
}
