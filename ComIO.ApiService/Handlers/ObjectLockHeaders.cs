using System.Globalization;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// The Object Lock request and response headers of object writes and reads: <c>x-amz-object-lock-mode</c>,
/// <c>x-amz-object-lock-retain-until-date</c>, <c>x-amz-object-lock-legal-hold</c> and
/// <c>x-amz-bypass-governance-retention</c>. Stateless; thread-safe.
/// </summary>
public static class ObjectLockHeaders
{
    public const string ModeHeader = "x-amz-object-lock-mode";
    public const string RetainUntilHeader = "x-amz-object-lock-retain-until-date";
    public const string LegalHoldHeader = "x-amz-object-lock-legal-hold";
    public const string BypassGovernanceHeader = "x-amz-bypass-governance-retention";

    /// <summary>
    /// The Object Lock state a new version gets (PutObject, CopyObject, CreateMultipartUpload): the explicit headers
    /// (mode and date together, a future date; legal hold ON/OFF; each needing its <c>s3:PutObjectRetention</c> /
    /// <c>s3:PutObjectLegalHold</c> permission), else the bucket's default retention counted from
    /// <paramref name="now"/>. Lock headers on a bucket without Object Lock are InvalidRequest.
    /// </summary>
    public static async Task<PutObjectMetadata> ApplyToWriteAsync(S3Request request, BucketSettings settings, PutObjectMetadata metadata, Authorizer authorizer, DateTimeOffset now)
    {
        var mode = request.Header(ModeHeader);
        var until = request.Header(RetainUntilHeader);
        var hold = request.Header(LegalHoldHeader);
        var configuration = ObjectLockConfiguration.FromSetting(settings[BucketSettingNames.ObjectLock]);
        if (mode is null && until is null && hold is null)
        {
            return configuration?.DefaultRetainUntil(now) is { } defaultUntil
                ? metadata with { ObjectLockMode = configuration.DefaultMode, ObjectLockRetainUntil = Truncate(defaultUntil) }
                : metadata;
        }

        if (configuration is null)
        {
            throw new S3Exception(ObjectLockErrorCodes.MissingConfigurationOnWrite);
        }

        if ((mode is null) != (until is null))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
        }

        if (hold is not null and not ("ON" or "OFF"))
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, "Legal Hold must be either of 'ON' or 'OFF'");
        }

        if (mode is not null)
        {
            if (mode is not ("GOVERNANCE" or "COMPLIANCE"))
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "Unknown wormMode directive.");
            }

            var date = ParseDate(until!) ?? throw new S3Exception(S3ErrorCode.InvalidArgument, "The retain until date is not a valid ISO 8601 date.");
            if (date <= now)
            {
                throw new S3Exception(S3ErrorCode.InvalidArgument, "The retain until date must be in the future!");
            }

            await authorizer.AuthorizeAsync(request, "s3:PutObjectRetention", request.Bucket, request.Key);
            metadata = metadata with { ObjectLockMode = mode, ObjectLockRetainUntil = date };
        }
        else if (configuration.DefaultRetainUntil(now) is { } defaultUntil)
        {
            metadata = metadata with { ObjectLockMode = configuration.DefaultMode, ObjectLockRetainUntil = Truncate(defaultUntil) };
        }

        if (hold is not null)
        {
            await authorizer.AuthorizeAsync(request, "s3:PutObjectLegalHold", request.Bucket, request.Key);
            metadata = metadata with { ObjectLockLegalHold = hold == "ON" };
        }

        return metadata;
    }

    /// <summary>
    /// A PutObject that carries Object Lock parameters — any <c>x-amz-object-lock-*</c> header, or a retention the
    /// bucket's default gave <paramref name="metadata"/> (see <see cref="ApplyToWriteAsync"/>) — must carry an integrity
    /// check: Content-MD5, an <c>x-amz-checksum-*</c> value (header or trailer) or <c>x-amz-sdk-checksum-algorithm</c>
    /// (AWS PutObject: "The Content-MD5 or x-amz-sdk-checksum-algorithm header is required for any request to upload an
    /// object with a retention period configured using Amazon S3 Object Lock"). InvalidRequest otherwise, as AWS answers.
    /// The value itself is verified against the body by the storage node.
    /// </summary>
    public static void RequireIntegrityForLockedPut(S3Request request, PutObjectMetadata metadata)
    {
        var lockParameters = metadata.ObjectLockMode is not null
            || request.Header(ModeHeader) is not null || request.Header(RetainUntilHeader) is not null || request.Header(LegalHoldHeader) is not null;
        if (lockParameters && metadata.ContentMd5 is null && metadata.ChecksumAlgorithm is null)
        {
            throw new S3Exception(ObjectLockErrorCodes.MissingIntegrityOnLockedPut);
        }
    }

    /// <summary>
    /// Whether the request asks to bypass GOVERNANCE retention (<c>x-amz-bypass-governance-retention: true</c>) and the
    /// caller holds <c>s3:BypassGovernanceRetention</c> on the object. Without the permission the request proceeds
    /// without bypass, so a GOVERNANCE-protected version stays protected (AccessDenied), as on AWS.
    /// </summary>
    public static async Task<bool> BypassGovernanceAsync(S3Request request, Authorizer authorizer, string key)
    {
        if (!string.Equals(request.Header(BypassGovernanceHeader), "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return await authorizer.IsAllowedAsync(request, "s3:BypassGovernanceRetention", request.Bucket, key);
    }

    /// <summary>
    /// Writes the version's Object Lock headers on a GET/HEAD response, each only for a caller allowed to read it, as AWS
    /// does: mode and retain-until date with <c>s3:GetObjectRetention</c>, the legal hold with <c>s3:GetObjectLegalHold</c>
    /// on the object. A refusal only leaves the header out (it is not audited as a denied request). Nothing is written,
    /// and no permission asked, when the version has no lock state.
    /// </summary>
    public static async Task WriteResponseHeadersAsync(S3Request request, ObjectInfo info, Authorizer authorizer)
    {
        var response = request.Response;
        if (info.ObjectLockMode is { } mode && info.ObjectLockRetainUntil is { } until
            && await authorizer.IsAllowedAsync(request, "s3:GetObjectRetention", request.Bucket, request.Key))
        {
            response.Headers[ModeHeader] = mode;
            response.Headers[RetainUntilHeader] = S3Xml.Timestamp(until);
        }

        if (info.ObjectLockLegalHold && await authorizer.IsAllowedAsync(request, "s3:GetObjectLegalHold", request.Bucket, request.Key))
        {
            response.Headers[LegalHoldHeader] = "ON";
        }
    }

    /// <summary>An ISO 8601 date-time (UTC when no offset is given), truncated to milliseconds; null when unparseable.</summary>
    public static DateTimeOffset? ParseDate(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? Truncate(value)
            : null;

    private static DateTimeOffset Truncate(DateTimeOffset value) => DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
