namespace ComIO.ApiService.Authorization.Policies;

/// <summary>The outcome of evaluating one policy document against one request.</summary>
public enum PolicyDecision
{
    /// <summary>No statement applies: the document neither allows nor denies the request.</summary>
    NotApplicable,

    /// <summary>At least one Allow statement applies and no Deny statement does.</summary>
    Allow,

    /// <summary>At least one Deny statement applies; an explicit deny always wins over any allow.</summary>
    Deny,
}
