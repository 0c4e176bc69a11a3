namespace ComIO.ApiService.Authorization.Policies;

/// <summary>Which kind of document a policy is; decides the validation rules and whether principals are evaluated.</summary>
public enum PolicyKind
{
    /// <summary>An S3 bucket policy: every statement names a <c>Principal</c> or <c>NotPrincipal</c>, every resource lies in the bucket.</summary>
    Bucket,

    /// <summary>A policy attached to one user: statements never name a principal; the user is the principal.</summary>
    Identity,
}
