using System.Xml;
using ComIO.ApiService.Authorization;
using ComIO.ApiService.Authorization.Acls;
using ComIO.ApiService.Authorization.Ownership;
using ComIO.ApiService.Buckets;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Errors;
using ComIO.ApiService.Protocol.Routing;
using ComIO.ApiService.Protocol.Xml;
using ComIO.Contracts.Nodes;
using Microsoft.Extensions.Options;

namespace ComIO.ApiService.Handlers;

/// <summary>
/// CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation. Every node of the site keeps a record of
/// every bucket, so bucket calls fan out to all nodes and reads ask any one of them. A bucket belongs to the principal
/// that created it; ListBuckets shows the caller's own buckets (every bucket to the admin and to callers whose identity
/// policy allows <c>s3:ListAllMyBuckets</c>, as an account's buckets are listed to its IAM users).
/// </summary>
public sealed class BucketHandlers(
    ClusterNodes cluster,
    StorageNodeClient nodes,
    BucketSettingsStore settingsStore,
    AclAssignment aclAssignment,
    Authorizer authorizer,
    IOptions<S3Options> s3Options,
    ILogger<BucketHandlers> logger)
{
    private const int MaxCreateBucketBody = 64 * 1024;
    private const int MaxBucketsLimit = 10_000;

    private readonly S3Options _s3 = s3Options.Value;

    /// <summary>
    /// ListBuckets in name order. <c>prefix</c> filters, <c>bucket-region</c> filters by this endpoint's region, and
    /// <c>max-buckets</c> (1–10,000) pages with an opaque <c>continuation-token</c>; as AWS, when any of prefix,
    /// continuation-token or bucket-region is given without max-buckets the page size is 10,000, and without any of
    /// them every bucket is returned in one response.
    /// </summary>
    public async Task ListBucketsAsync(S3Request request)
    {
        var query = request.Query;
        var prefix = query.ContainsKey("prefix") ? query["prefix"].ToString() : null;
        var region = query.ContainsKey("bucket-region") ? query["bucket-region"].ToString() : null;
        var token = query.ContainsKey("continuation-token") ? query["continuation-token"].ToString() : null;
        var maxBuckets = ParseMaxBuckets(query["max-buckets"].ToString(), paged: prefix is not null || region is not null || token is not null);
        var after = string.IsNullOrEmpty(token) ? null : ListObjectsHandler.DecodeToken(token);

        if (request.Principal is null)
        {
            throw new S3Exception(S3ErrorCode.AccessDenied);
        }

        var buckets = (await nodes.ListBucketsAsync(cluster.All[0], request.Aborted).ConfigureAwait(false)).OrThrow() ?? [];
        var owner = OwnerOf(request);
        var seesAll = request.Principal is { IsRoot: true } || await authorizer.IsAllowedAsync(request, "s3:ListAllMyBuckets", null, null);
        buckets.RemoveAll(b => (!seesAll && settingsStore.ParseOwner(b.Owner).Id != owner.Id)
            || (prefix is not null && !b.Name.StartsWith(prefix, StringComparison.Ordinal))
            || (after is not null && string.CompareOrdinal(b.Name, after) <= 0)
            || (!string.IsNullOrEmpty(region) && region != _s3.Region));
        buckets.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        string? next = null;
        if (buckets.Count > maxBuckets)
        {
            buckets.RemoveRange(maxBuckets, buckets.Count - maxBuckets);
            next = ListObjectsHandler.EncodeToken(buckets[^1].Name);
        }

        var body = S3Xml.Document("ListAllMyBucketsResult", xml =>
        {
            WriteOwner(xml, owner);
            xml.WriteStartElement("Buckets");
            foreach (var bucket in buckets)
            {
                xml.WriteStartElement("Bucket");
                xml.Element("Name", bucket.Name);
                xml.Element("CreationDate", bucket.CreationDate);
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            if (next is not null)
            {
                xml.Element("ContinuationToken", next);
            }

            if (prefix is not null)
            {
                xml.Element("Prefix", prefix);
            }
        });
        await S3Responses.XmlAsync(request, body);
    }

    public async Task CreateBucketAsync(S3Request request)
    {
        if (!BucketNameRules.IsValid(request.Bucket))
        {
            throw new S3Exception(S3ErrorCode.InvalidBucketName);
        }

        var objectLock = ObjectLockEnabledHeader(request);
        await ValidateCreateBucketBodyAsync(request);
        var owner = AclAssignment.OwnerOf(request.Principal) ?? throw new S3Exception(S3ErrorCode.AccessDenied);
        var ownership = ParseObjectOwnershipHeader(request);
        var acl = await aclAssignment.ForNewBucketAsync(request, owner, ownership ?? BucketSettings.DefaultOwnership);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BucketSettingNames.Owner] = BucketSettingsStore.Serialize(owner),
            [BucketSettingNames.Acl] = AclAssignment.Serialize(acl),
        };
        if (ownership is { } explicitOwnership)
        {
            settings[BucketSettingNames.Ownership] = explicitOwnership.ToString();
        }

        if (objectLock)
        {
            // Object Lock needs versioning; both are committed with the bucket record, so no write can see one without the other.
            settings[BucketSettingNames.Versioning] = "Enabled";
            settings[BucketSettingNames.ObjectLock] = System.Text.Encoding.UTF8.GetString(ObjectLockConfiguration.EnabledWithoutRule.ToXml());
        }

        var results = await Task.WhenAll(cluster.All.Select(n => nodes.CreateBucketAsync(n, request.Bucket, settings, request.Aborted))).ConfigureAwait(false);
        var failed = results.FirstOrDefault(r => !r.IsSuccess && r.Error!.Status != NodeStatus.BucketAlreadyExists);
        if (failed.Error is not null)
        {
            logger.LogError("CreateBucket {Bucket} failed on a node: {Status} {Message}", request.Bucket, failed.Error.Status, failed.Error.Message);
            throw NodeErrorMapper.ToS3(failed.Error);
        }

        if (results.All(r => !r.IsSuccess))
        {
            var existing = await settingsStore.GetAsync(request.Bucket, request.Aborted);
            throw new S3Exception(existing.Owner.Id == owner.Id ? S3ErrorCode.BucketAlreadyOwnedByYou : S3ErrorCode.BucketAlreadyExists);
        }

        request.Response.Headers.Location = "/" + request.Bucket;
        request.Response.StatusCode = StatusCodes.Status200OK;
        request.Response.ContentLength = 0;
    }

    public async Task DeleteBucketAsync(S3Request request)
    {
        await EnsureExistsAsync(request);
        foreach (var node in cluster.All)
        {
            // Versions and delete markers count too (S3 refuses a bucket that holds any), so check them on every node
            // before deleting anywhere.
            var page = (await nodes.ListVersionsAsync(node, request.Bucket, null, null, null, 1, request.Aborted).ConfigureAwait(false)).OrThrow();
            if (page is { Versions.Count: > 0 })
            {
                throw new S3Exception(S3ErrorCode.BucketNotEmpty);
            }
        }

        foreach (var node in cluster.All)
        {
            var result = await nodes.DeleteBucketAsync(node, request.Bucket, request.Aborted).ConfigureAwait(false);
            if (!result.IsSuccess && result.Error!.Status != NodeStatus.NoSuchBucket)
            {
                throw NodeErrorMapper.ToS3(result.Error);
            }
        }

        request.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    public async Task HeadBucketAsync(S3Request request)
    {
        await EnsureExistsAsync(request);
        request.Response.Headers["x-amz-bucket-region"] = _s3.Region;
        request.Response.StatusCode = StatusCodes.Status200OK;
    }

    public async Task GetBucketLocationAsync(S3Request request)
    {
        await EnsureExistsAsync(request);
        var region = _s3.Region == "us-east-1" ? null : _s3.Region;
        await S3Responses.XmlAsync(request, S3Xml.Document("LocationConstraint", xml =>
        {
            if (region is not null)
            {
                xml.WriteString(region);
            }
        }));
    }

    /// <summary>
    /// GetBucketVersioning: <c>&lt;Status&gt;</c> Enabled or Suspended; an empty configuration for a bucket whose versioning
    /// was never enabled, as AWS answers.
    /// </summary>
    public async Task GetBucketVersioningAsync(S3Request request)
    {
        var status = (await settingsStore.GetAsync(request)).Versioning;
        await S3Responses.XmlAsync(request, S3Xml.Document("VersioningConfiguration", xml =>
        {
            if (status is not null)
            {
                xml.Element("Status", status);
            }
        }));
    }

    /// <summary>Throws NoSuchBucket unless the bucket exists.</summary>
    public async Task EnsureExistsAsync(S3Request request)
    {
        var result = await nodes.GetBucketAsync(cluster.All[0], request.Bucket, request.Aborted).ConfigureAwait(false);
        result.OrThrow();
    }

    /// <summary>
    /// The owner shown for the caller's own resources (ListBuckets, multipart initiators): the caller; for an anonymous
    /// request, the bucket's owner when known (ComIO stores anonymous writes as the bucket owner's).
    /// </summary>
    public AclOwner OwnerOf(S3Request request) =>
        AclAssignment.OwnerOf(request.Principal) ?? request.BucketSettings?.Owner ?? settingsStore.RootOwner;

    public static void WriteOwner(XmlWriter xml, AclOwner owner)
    {
        xml.WriteStartElement("Owner");
        xml.Element("ID", owner.Id);
        xml.Element("DisplayName", owner.DisplayName);
        xml.WriteEndElement();
    }

    /// <summary>The <c>x-amz-object-ownership</c> header of CreateBucket, or null when absent (InvalidArgument when unknown).</summary>
    private static ObjectOwnership? ParseObjectOwnershipHeader(S3Request request)
    {
        var value = request.Header("x-amz-object-ownership");
        if (value is null)
        {
            return null;
        }

        return value switch
        {
            "BucketOwnerEnforced" => ObjectOwnership.BucketOwnerEnforced,
            "BucketOwnerPreferred" => ObjectOwnership.BucketOwnerPreferred,
            "ObjectWriter" => ObjectOwnership.ObjectWriter,
            _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "Invalid x-amz-object-ownership header: " + value)
            {
                ExtraElements = [new("ArgumentName", "x-amz-object-ownership"), new("ArgumentValue", value)],
            },
        };
    }

    /// <summary>
    /// CreateBucket headers that ask for features ComIO does not implement yet (object lock): 501 NotImplemented rather
    /// than a bucket created without them.
    /// </summary>
    /// <summary>
    /// <c>x-amz-bucket-object-lock-enabled</c>: true creates the bucket with Object Lock (and versioning) enabled; absent
    /// or false without; any other value is InvalidArgument.
    /// </summary>
    private static bool ObjectLockEnabledHeader(S3Request request) => request.Header("x-amz-bucket-object-lock-enabled") switch
    {
        null => false,
        var value when string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) => true,
        var value when string.Equals(value, "false", StringComparison.OrdinalIgnoreCase) => false,
        _ => throw new S3Exception(S3ErrorCode.InvalidArgument, "x-amz-bucket-object-lock-enabled must be true or false."),
    };

    private static int ParseMaxBuckets(string text, bool paged)
    {
        if (text.Length == 0)
        {
            return paged ? MaxBucketsLimit : int.MaxValue;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) || value is < 1 or > MaxBucketsLimit)
        {
            throw new S3Exception(S3ErrorCode.InvalidArgument, $"max-buckets must be an integer between 1 and {MaxBucketsLimit}.");
        }

        return value;
    }

    /// <summary>
    /// An optional <c>CreateBucketConfiguration</c>: well-formed, and its <c>LocationConstraint</c>, when present, must
    /// name this endpoint's region (AWS answers <c>IllegalLocationConstraintException</c> otherwise).
    /// </summary>
    private async Task ValidateCreateBucketBodyAsync(S3Request request)
    {
        var body = await S3Requests.ReadSmallBodyAsync(request, MaxCreateBucketBody);
        if (body.Length == 0)
        {
            return;
        }

        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), S3Requests.SafeXmlSettings);
            reader.MoveToContent();
            if (reader.LocalName != "CreateBucketConfiguration")
            {
                throw new S3Exception(S3ErrorCode.MalformedXML);
            }

            string? constraint = null;
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "LocationConstraint")
                {
                    constraint = reader.ReadElementContentAsString().Trim();
                }
            }

            if (!string.IsNullOrEmpty(constraint) && constraint != _s3.Region)
            {
                throw new S3Exception(S3ErrorCodes.IllegalLocationConstraintException,
                    $"The {constraint} location constraint is incompatible for the region specific endpoint this request was sent to.");
            }
        }
        catch (XmlException)
        {
            throw new S3Exception(S3ErrorCode.MalformedXML);
        }
    }
}
