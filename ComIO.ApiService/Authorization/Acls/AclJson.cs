using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComIO.ApiService.Authorization.Acls;

/// <summary>
/// The storage form of an <see cref="AccessControlList"/>: compact UTF-8 JSON written with a source-generated context,
/// <c>{"v":1,"o":"&lt;owner id&gt;","on":"&lt;owner name&gt;","g":[{"i":"&lt;id&gt;","n":"&lt;name&gt;","p":"FULL_CONTROL"},{"u":"&lt;group uri&gt;","p":"READ"}]}</c>
/// (absent members are omitted). <c>v</c> is the format version; <see cref="Deserialize"/> rejects any other version
/// and any document that does not describe a valid ACL with <see cref="InvalidDataException"/> (stored data is
/// corrupt: an internal error, never a client error). Round-trips every valid ACL exactly.
/// </summary>
public static partial class AclJson
{
    /// <summary>The format version written to <c>v</c>.</summary>
    public const int Version = 1;

    public static byte[] Serialize(AccessControlList acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        var document = new AclDocument
        {
            V = Version,
            O = acl.Owner.Id,
            On = acl.Owner.DisplayName,
            G = [.. acl.Grants.Select(grant => new GrantDocument
            {
                I = grant.Grantee.Id,
                N = grant.Grantee.DisplayName,
                U = grant.Grantee.Uri,
                P = grant.Permission.ToWireName(),
            })],
        };
        return JsonSerializer.SerializeToUtf8Bytes(document, AclJsonContext.Default.AclDocument);
    }

    /// <exception cref="InvalidDataException">The bytes are not a version-1 ACL document.</exception>
    public static AccessControlList Deserialize(ReadOnlySpan<byte> json)
    {
        AclDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, AclJsonContext.Default.AclDocument);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("The stored ACL is not valid JSON.", e);
        }

        if (document is null || document.V != Version)
        {
            throw new InvalidDataException($"Unsupported stored ACL version {document?.V}.");
        }

        try
        {
            var owner = new AclOwner(document.O!, document.On!);
            var grants = new List<AclGrant>();
            foreach (var grant in document.G ?? throw new InvalidDataException("The stored ACL has no grant list."))
            {
                if (grant is null || !AclPermissionNames.TryParse(grant.P, out var permission))
                {
                    throw new InvalidDataException("The stored ACL has an invalid grant.");
                }

                var grantee = grant.U is not null && grant.I is null && grant.N is null
                    ? AclGrantee.Group(grant.U)
                    : grant.U is null ? AclGrantee.CanonicalUser(grant.I!, grant.N) : throw new InvalidDataException("The stored ACL has an invalid grantee.");
                grants.Add(new AclGrant(grantee, permission));
            }

            return new AccessControlList(owner, grants);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("The stored ACL has an invalid owner or grantee.", e);
        }
    }

    internal sealed class AclDocument
    {
        [JsonPropertyName("v")]
        public int V { get; set; }

        [JsonPropertyName("o")]
        public string? O { get; set; }

        [JsonPropertyName("on")]
        public string? On { get; set; }

        [JsonPropertyName("g")]
        public List<GrantDocument?>? G { get; set; }
    }

    internal sealed class GrantDocument
    {
        [JsonPropertyName("i")]
        public string? I { get; set; }

        [JsonPropertyName("n")]
        public string? N { get; set; }

        [JsonPropertyName("u")]
        public string? U { get; set; }

        [JsonPropertyName("p")]
        public string? P { get; set; }
    }

    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(AclDocument))]
    internal sealed partial class AclJsonContext : JsonSerializerContext;
}
