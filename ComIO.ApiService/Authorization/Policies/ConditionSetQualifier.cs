namespace ComIO.ApiService.Authorization.Policies;

/// <summary>The set prefix of a condition operator for multi-valued keys.</summary>
internal enum ConditionSetQualifier
{
    None,
    ForAnyValue,
    ForAllValues,
}
