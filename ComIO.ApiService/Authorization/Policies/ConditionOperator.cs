using System.Collections.Frozen;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>A parsed condition operator such as <c>ForAnyValue:StringNotEqualsIfExists</c>. Immutable.</summary>
internal sealed record ConditionOperator(
    string Name,
    ConditionFamily Family,
    ConditionComparison Comparison,
    bool Negated,
    bool IfExists,
    ConditionSetQualifier Qualifier)
{
    private const string IfExistsSuffix = "IfExists";
    private const string ForAnyValuePrefix = "ForAnyValue:";
    private const string ForAllValuesPrefix = "ForAllValues:";

    private static readonly FrozenDictionary<string, (ConditionFamily Family, ConditionComparison Comparison, bool Negated)> BaseOperators =
        new Dictionary<string, (ConditionFamily, ConditionComparison, bool)>(StringComparer.OrdinalIgnoreCase)
        {
            ["StringEquals"] = (ConditionFamily.String, ConditionComparison.Equal, false),
            ["StringNotEquals"] = (ConditionFamily.String, ConditionComparison.Equal, true),
            ["StringEqualsIgnoreCase"] = (ConditionFamily.StringIgnoreCase, ConditionComparison.Equal, false),
            ["StringNotEqualsIgnoreCase"] = (ConditionFamily.StringIgnoreCase, ConditionComparison.Equal, true),
            ["StringLike"] = (ConditionFamily.StringLike, ConditionComparison.Equal, false),
            ["StringNotLike"] = (ConditionFamily.StringLike, ConditionComparison.Equal, true),
            ["NumericEquals"] = (ConditionFamily.Numeric, ConditionComparison.Equal, false),
            ["NumericNotEquals"] = (ConditionFamily.Numeric, ConditionComparison.Equal, true),
            ["NumericLessThan"] = (ConditionFamily.Numeric, ConditionComparison.LessThan, false),
            ["NumericLessThanEquals"] = (ConditionFamily.Numeric, ConditionComparison.LessThanEquals, false),
            ["NumericGreaterThan"] = (ConditionFamily.Numeric, ConditionComparison.GreaterThan, false),
            ["NumericGreaterThanEquals"] = (ConditionFamily.Numeric, ConditionComparison.GreaterThanEquals, false),
            ["DateEquals"] = (ConditionFamily.Date, ConditionComparison.Equal, false),
            ["DateNotEquals"] = (ConditionFamily.Date, ConditionComparison.Equal, true),
            ["DateLessThan"] = (ConditionFamily.Date, ConditionComparison.LessThan, false),
            ["DateLessThanEquals"] = (ConditionFamily.Date, ConditionComparison.LessThanEquals, false),
            ["DateGreaterThan"] = (ConditionFamily.Date, ConditionComparison.GreaterThan, false),
            ["DateGreaterThanEquals"] = (ConditionFamily.Date, ConditionComparison.GreaterThanEquals, false),
            ["Bool"] = (ConditionFamily.Bool, ConditionComparison.Equal, false),
            ["IpAddress"] = (ConditionFamily.IpAddress, ConditionComparison.Equal, false),
            ["NotIpAddress"] = (ConditionFamily.IpAddress, ConditionComparison.Equal, true),
            ["Null"] = (ConditionFamily.Null, ConditionComparison.Equal, false),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses an operator name (case-insensitive); <see langword="false"/> for unknown names and for <c>Null</c> with a prefix or suffix.</summary>
    public static bool TryParse(string name, out ConditionOperator? conditionOperator)
    {
        conditionOperator = null;
        var rest = name.AsSpan();
        var qualifier = ConditionSetQualifier.None;
        if (rest.StartsWith(ForAnyValuePrefix, StringComparison.OrdinalIgnoreCase))
        {
            qualifier = ConditionSetQualifier.ForAnyValue;
            rest = rest[ForAnyValuePrefix.Length..];
        }
        else if (rest.StartsWith(ForAllValuesPrefix, StringComparison.OrdinalIgnoreCase))
        {
            qualifier = ConditionSetQualifier.ForAllValues;
            rest = rest[ForAllValuesPrefix.Length..];
        }

        var ifExists = rest.Length > IfExistsSuffix.Length && rest.EndsWith(IfExistsSuffix, StringComparison.OrdinalIgnoreCase);
        if (ifExists)
        {
            rest = rest[..^IfExistsSuffix.Length];
        }

        var lookup = BaseOperators.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(rest, out var baseOperator)
            || (baseOperator.Family == ConditionFamily.Null && (ifExists || qualifier != ConditionSetQualifier.None)))
        {
            return false;
        }

        conditionOperator = new ConditionOperator(name, baseOperator.Family, baseOperator.Comparison, baseOperator.Negated, ifExists, qualifier);
        return true;
    }
}
