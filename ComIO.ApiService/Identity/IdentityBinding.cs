using System.Security.Cryptography;
using System.Text;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;

namespace ComIO.ApiService.Identity;

/// <summary>
/// Makes a caller identity resolved for the request's object node (<see cref="CredentialResolver.ResolveForNodeAsync"/>)
/// safe to act on, once the operation is known and before it is authorized. A hot object operation whose one node call
/// goes to that node sends the identity's stamp with the settings stamp, so the node refuses the call when a user, key
/// or policy changed there since. Any other operation, or a request served again after a refused stamp, reads an
/// identity taken from memory afresh from the nodes first.
/// </summary>
public sealed class IdentityBinding(CredentialResolver credentials, BucketSettingsStore settings, Audit.AuditLog audit)
{
    /// <exception cref="S3Exception">InvalidAccessKeyId: the remembered key, or its user, is no longer active.</exception>
    public async Task BindAsync(S3Request request)
    {
        if (request.StampedCredential is not { Stamp: { } identity } credential)
        {
            return;
        }

        if (request.SettingsNode is { } node && node.Id == identity.NodeId)
        {
            await settings.GetAsync(request);
            if (request.SettingsStamp is { } stamp)
            {
                stamp.Cover(identity);
                return;
            }
        }

        if (!identity.FromMemory)
        {
            // Read from the nodes during this request: as current as any fresh read.
            request.UseCredential(credential with { Stamp = null });
            return;
        }

        var fresh = await credentials.ResolveAsync(credential.Principal.AccessKeyId, request.Aborted);
        if (fresh is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(fresh.SecretKey), Encoding.UTF8.GetBytes(credential.SecretKey)))
        {
            audit.AuthenticationFailed(credential.Principal.AccessKeyId, S3ErrorCode.InvalidAccessKeyId.Code, request.Http.Connection.RemoteIpAddress?.ToString(), request.RequestId);
            throw new S3Exception(S3ErrorCode.InvalidAccessKeyId);
        }

        request.UseCredential(fresh);
    }
}
