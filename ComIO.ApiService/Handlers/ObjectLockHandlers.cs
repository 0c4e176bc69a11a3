using System.Xml;
using System.Xml.Linq;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// Object Lock operations: Put/GetObjectLockConfiguration (<c>?object-lock</c> on a bucket), Put/GetObjectRetention
/// (<c>?retention</c>) and Put/GetObjectLegalHold (<c>?legal-hold</c>) on an object version. The bucket configuration is
/// a bucket setting; per-version state lives in the version's record on the owning node, whose engine enforces it (a
/// COMPLIANCE retention cannot be shortened or removed by anyone, a GOVERNANCE one only with
/// <c>x-amz-bypass-governance-retention: true</c> and <c>s3:BypassGovernanceRetention</c>).
/// </summary>
public sealed class ObjectLockHandlers(ClusterNodes cluster, StorageNodeClient nodes, BucketSettingsStore settingsStore, Authorizer authorizer, TimeProvider time)
{
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>
    /// PutObjectLockConfiguration: replaces the default retention of a bucket created with Object Lock (Content-MD5 or
    /// a checksum header is required). A bucket without Object Lock is InvalidBucketState (it cannot be enabled later).
    /// </summary>
    public async Task PutConfigurationAsync(S3Request request)
    {
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        var configuration = ObjectLockConfiguration.Parse(body);
        var settings = await settingsStore.GetAsync(request);
        if (settings[BucketSettingNames.ObjectLock] is null)
        {
            throw new S3Exception(ObjectLockErrorCodes.CannotEnableOnExistingBucket);
        }

        await settingsStore.SetAsync(request.Bucket, BucketSettingNames.ObjectLock, System.Text.Encoding.UTF8.GetString(configuration.ToXml()), request.Aborted);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    /// <summary>GetObjectLockConfiguration: the stored configuration, or ObjectLockConfigurationNotFoundError.</summary>
    public async Task GetConfigurationAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        var configuration = ObjectLockConfiguration.FromSetting(settings[BucketSettingNames.ObjectLock])
            ?? throw new S3Exception(ObjectLockErrorCodes.ObjectLockConfigurationNotFound);
        await S3Responses.XmlAsync(request, configuration.ToXml());
    }

    /// <summary>
    /// PutObjectRetention (<c>&lt;Retention&gt;&lt;Mode/&gt;&lt;RetainUntilDate/&gt;&lt;/Retention&gt;</c>; an empty
    /// Retention removes it): the date must lie in the future; the engine refuses (AccessDenied) whatever would weaken an
    /// active retention unless it is GOVERNANCE and the caller may and does bypass governance.
    /// </summary>
    public async Task PutRetentionAsync(S3Request request)
    {
        var versionId = ObjectVersions.VersionIdOf(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        var (mode, until) = ParseRetention(body);
        if (until is { } date && date <= time.GetUtcNow())
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "The retain until date must be in the future!");
        }

        await RequireObjectLockAsync(request);
        var bypass = await ObjectLockHeaders.BypassGovernanceAsync(request, authorizer, request.Key);
        var change = new ObjectLockChange { SetRetention = true, RetentionMode = mode, RetainUntil = until, BypassGovernance = bypass };
        await ChangeAsync(request, versionId, change);
    }

    /// <summary>GetObjectRetention: the version's retention, or NoSuchObjectLockConfiguration when it has none.</summary>
    public async Task GetRetentionAsync(S3Request request)
    {
        var info = await VersionInfoAsync(request);
        if (info.ObjectLockMode is not { } mode || info.ObjectLockRetainUntil is not { } until)
        {
            throw new S3Exception(ObjectLockErrorCodes.NoSuchObjectLockConfiguration);
        }

        await S3Responses.XmlAsync(request, S3Xml.Document("Retention", xml =>
        {
            xml.Element("Mode", mode);
            xml.Element("RetainUntilDate", until);
        }));
    }

    /// <summary>PutObjectLegalHold (<c>&lt;LegalHold&gt;&lt;Status&gt;ON|OFF&lt;/Status&gt;&lt;/LegalHold&gt;</c>).</summary>
    public async Task PutLegalHoldAsync(S3Request request)
    {
        var versionId = ObjectVersions.VersionIdOf(request);
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxBodyBytes);
        S3Requests.VerifyRequiredIntegrity(request, body);
        var status = ParseLegalHold(body);
        await RequireObjectLockAsync(request);
        await ChangeAsync(request, versionId, new ObjectLockChange { LegalHold = status });
    }

    /// <summary>GetObjectLegalHold: ON or OFF (a version whose hold was never set reports OFF).</summary>
    public async Task GetLegalHoldAsync(S3Request request)
    {
        var info = await VersionInfoAsync(request);
        await S3Responses.XmlAsync(request, S3Xml.Document("LegalHold", xml => xml.Element("Status", info.ObjectLockLegalHold ? "ON" : "OFF")));
    }

    /// <summary>Parses a Retention body: (mode, date), both null for an empty Retention. MalformedXML otherwise.</summary>
    public static (string? Mode, DateTimeOffset? RetainUntil) ParseRetention(byte[] body)
    {
        var root = Load(body, "Retention");
        string? mode = null;
        string? date = null;
        foreach (var child in root.Elements())
        {
            switch (child.Name.LocalName)
            {
                case "Mode" when mode is null && !child.HasElements:
                    mode = child.Value;
                    break;
                case "RetainUntilDate" when date is null && !child.HasElements:
                    date = child.Value;
                    break;
                default:
                    throw new S3Exception(S3ErrorCode.MalformedXML);
            }
        }

        if (mode is null && date is null)
        {
            return (null, null);
        }

        if (mode is not ("GOVERNANCE" or "COMPLIANCE") || date is null)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return (mode, ObjectLockHeaders.ParseDate(date) ?? throw new S3Exception(S3ErrorCode.MalformedXML));
    }

    /// <summary>Parses a LegalHold body: true for ON, false for OFF. MalformedXML otherwise.</summary>
    public static bool ParseLegalHold(byte[] body)
    {
        var root = Load(body, "LegalHold");
        var children = root.Elements().ToList();
        if (children is not [{ Name.LocalName: "Status", HasElements: false } status] || status.Value is not ("ON" or "OFF"))
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }

        return status.Value == "ON";
    }

    private static XElement Load(byte[] body, string rootName)
    {
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body, writable: false), S3Requests.SafeXmlSettings);
            var root = XDocument.Load(reader).Root;
            return root is not null && root.Name.LocalName == rootName ? root : throw new S3Exception(S3ErrorCode.MalformedXML);
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
    }

    /// <summary>Throws InvalidRequest "Bucket is missing Object Lock Configuration" (or NoSuchBucket) unless the bucket has Object Lock.</summary>
    private async Task RequireObjectLockAsync(S3Request request)
    {
        var settings = await settingsStore.GetAsync(request);
        if (settings[BucketSettingNames.ObjectLock] is null)
        {
            throw new S3Exception(ObjectLockErrorCodes.MissingConfiguration);
        }
    }

    private async Task<ObjectInfo> VersionInfoAsync(S3Request request)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var versionId = ObjectVersions.VersionIdOf(request);
        await RequireObjectLockAsync(request);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var (found, deleteMarker) = await nodes.GetObjectVersionInfoAsync(owner, request.Bucket, request.Key, versionId, request.Aborted).ConfigureAwait(false);
        return found.IsSuccess ? found.Value! : throw ObjectVersions.ToS3(found.Error!, deleteMarker);
    }

    private async Task ChangeAsync(S3Request request, string? versionId, ObjectLockChange change)
    {
        ObjectHeaders.ValidateKey(request.Key);
        var owner = cluster.OwnerOf(request.Bucket, request.Key);
        var result = await nodes.SetObjectLockAsync(owner, request.Bucket, request.Key, versionId, change, request.Aborted).ConfigureAwait(false);
        var info = result.OrThrow()!;
        ObjectVersions.WriteVersionId(request, versionId is null ? null : info.VersionId);
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }
}
