namespace ComIO.ApiService.Authorization.Policies;

/// <summary>How a condition operator compares context values with policy values.</summary>
internal enum ConditionFamily
{
    String,
    StringIgnoreCase,
    StringLike,
    Numeric,
    Date,
    Bool,
    IpAddress,
    Null,
}
