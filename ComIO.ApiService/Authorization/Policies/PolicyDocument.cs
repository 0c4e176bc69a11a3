namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// A validated IAM-style policy document for S3 (bucket policy or identity policy). Created only by <see cref="Parse"/>;
/// immutable and safe to share between threads and requests. Evaluate it with <see cref="PolicyEvaluator.Evaluate"/>.
/// </summary>
public sealed class PolicyDocument
{
    /// <summary>The largest accepted document, in UTF-8 bytes (S3's bucket policy limit, 20 KiB); also applied to identity policies.</summary>
    public const int MaxDocumentBytes = 20 * 1024;

    private PolicyDocument(string json, PolicyKind kind, string? bucketName, string? version, string? id, PolicyStatement[] statements)
    {
        Json = json;
        Kind = kind;
        BucketName = bucketName;
        Version = version;
        Id = id;
        Statements = statements;
        foreach (var statement in statements)
        {
            IsPublic |= statement.IsPublic();
        }
    }

    /// <summary>The document exactly as given to <see cref="Parse"/> (what GetBucketPolicy returns).</summary>
    public string Json { get; }

    public PolicyKind Kind { get; }

    /// <summary>The bucket a <see cref="PolicyKind.Bucket"/> policy belongs to; <see langword="null"/> for identity policies.</summary>
    public string? BucketName { get; }

    /// <summary><c>2012-10-17</c>, <c>2008-10-17</c>, or <see langword="null"/> when absent (treated as 2008-10-17: no policy variables).</summary>
    public string? Version { get; }

    public string? Id { get; }

    /// <summary>
    /// Whether the document is public in S3 Block Public Access terms: some Allow statement names principal <c>"*"</c> (or uses
    /// <c>NotPrincipal</c>) and has no condition fixing <c>aws:SourceIp</c> to a CIDR narrower than /0, or fixing one of
    /// <c>aws:SourceArn</c>, <c>aws:SourceVpc</c>, <c>aws:SourceVpce</c>, <c>aws:SourceAccount</c>, <c>aws:SourceOwner</c>,
    /// <c>aws:PrincipalOrgID</c>, <c>aws:PrincipalAccount</c>, <c>aws:userid</c>, <c>s3:DataAccessPointArn</c>,
    /// <c>s3:DataAccessPointAccount</c> or <c>s3:x-amz-server-side-encryption-aws-kms-key-id</c> to values without wildcards
    /// or variables (with StringEquals, StringEqualsIgnoreCase, StringLike or ForAnyValue: of them, not IfExists). Always
    /// <see langword="false"/> for identity policies.
    /// </summary>
    public bool IsPublic { get; }

    internal IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>
    /// Parses and validates <paramref name="json"/>. For any string it either returns or throws <see cref="PolicyFormatException"/>
    /// (whose message is meant for an S3 <c>MalformedPolicy</c> response); it never throws anything else for bad input.
    /// </summary>
    /// <param name="json">The policy text; at most <see cref="MaxDocumentBytes"/> UTF-8 bytes, JSON nesting at most 16 levels.</param>
    /// <param name="kind">Bucket policies need a principal in every statement; identity policies must not have one.</param>
    /// <param name="bucketName">Required (non-empty) for <see cref="PolicyKind.Bucket"/>: every resource must be <c>arn:aws:s3:::bucketName</c> or under <c>arn:aws:s3:::bucketName/</c>. Ignored for identity policies.</param>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is <see cref="PolicyKind.Bucket"/> and <paramref name="bucketName"/> is null or empty, or <paramref name="kind"/> is undefined.</exception>
    /// <exception cref="PolicyFormatException">The document is not a valid policy.</exception>
    public static PolicyDocument Parse(string json, PolicyKind kind, string? bucketName = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (kind == PolicyKind.Bucket)
        {
            ArgumentException.ThrowIfNullOrEmpty(bucketName);
        }
        else if (kind != PolicyKind.Identity)
        {
            throw new ArgumentException("Unknown policy kind.", nameof(kind));
        }
        else
        {
            bucketName = null;
        }

        var (version, id, statements) = PolicyParser.Parse(json, kind, bucketName);
        return new PolicyDocument(json, kind, bucketName, version, id, statements);
    }
}
