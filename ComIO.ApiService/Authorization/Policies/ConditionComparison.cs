namespace ComIO.ApiService.Authorization.Policies;

/// <summary>The ordering test of a Numeric or Date operator; <see cref="Equal"/> for every other family.</summary>
internal enum ConditionComparison
{
    Equal,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}
