using System.Globalization;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>
/// One key test of a <c>Condition</c> block (<c>"Operator": { "key": values }</c>). The values of one key are ORed; a statement
/// ANDs all its conditions. Missing-key semantics follow IAM: a missing key makes the test false, except that negated operators
/// (<c>StringNotEquals</c>, <c>NotIpAddress</c>, ...) and <c>ForAllValues:</c> are true, <c>...IfExists</c> is true, and
/// <c>Null</c> tests presence. Immutable and thread-safe.
/// </summary>
internal sealed class PolicyCondition
{
    private readonly PolicyPattern[] _strings;
    private readonly double[] _numbers;
    private readonly DateTimeOffset[] _dates;
    private readonly IpCidr[] _networks;

    private PolicyCondition(ConditionOperator conditionOperator, string key, PolicyPattern[] strings, double[] numbers, DateTimeOffset[] dates, IpCidr[] networks)
    {
        Operator = conditionOperator;
        Key = key;
        _strings = strings;
        _numbers = numbers;
        _dates = dates;
        _networks = networks;
    }

    public ConditionOperator Operator { get; }

    /// <summary>The condition key as written (compared case-insensitively).</summary>
    public string Key { get; }

    /// <summary>The values of String, Bool and Null operators.</summary>
    public IReadOnlyList<PolicyPattern> StringValues => _strings;

    /// <summary>The networks of IpAddress operators.</summary>
    public IReadOnlyList<IpCidr> Networks => _networks;

    /// <summary>Validates <paramref name="values"/> for the operator; throws <see cref="PolicyFormatException"/> when one is invalid.</summary>
    public static PolicyCondition Create(ConditionOperator conditionOperator, string key, IReadOnlyList<string> values, bool variablesEnabled)
    {
        var strings = Array.Empty<PolicyPattern>();
        var numbers = Array.Empty<double>();
        var dates = Array.Empty<DateTimeOffset>();
        var networks = Array.Empty<IpCidr>();
        switch (conditionOperator.Family)
        {
            case ConditionFamily.Numeric:
                numbers = new double[values.Count];
                for (var i = 0; i < values.Count; i++)
                {
                    if (!TryParseNumber(values[i], out numbers[i]))
                    {
                        throw new PolicyFormatException(PolicyErrors.InvalidConditionValue(conditionOperator.Name, values[i]));
                    }
                }

                break;
            case ConditionFamily.Date:
                dates = new DateTimeOffset[values.Count];
                for (var i = 0; i < values.Count; i++)
                {
                    if (!TryParseDate(values[i], out dates[i]))
                    {
                        throw new PolicyFormatException(PolicyErrors.InvalidConditionValue(conditionOperator.Name, values[i]));
                    }
                }

                break;
            case ConditionFamily.IpAddress:
                networks = new IpCidr[values.Count];
                for (var i = 0; i < values.Count; i++)
                {
                    if (!IpCidr.TryParse(values[i], out networks[i]))
                    {
                        throw new PolicyFormatException(PolicyErrors.InvalidConditionValue(conditionOperator.Name, values[i]));
                    }
                }

                break;
            default:
                var booleanOnly = conditionOperator.Family is ConditionFamily.Bool or ConditionFamily.Null;
                strings = new PolicyPattern[values.Count];
                for (var i = 0; i < values.Count; i++)
                {
                    strings[i] = PolicyPattern.Create(values[i], variablesEnabled && conditionOperator.Family != ConditionFamily.Null);
                    if (booleanOnly && !strings[i].HasVariables && !IsBoolean(strings[i].Resolve(EmptyRequest)))
                    {
                        throw new PolicyFormatException(PolicyErrors.InvalidConditionValue(conditionOperator.Name, values[i]));
                    }
                }

                break;
        }

        return new PolicyCondition(conditionOperator, key, strings, numbers, dates, networks);
    }

    /// <summary>
    /// Evaluates the test. Returns <see langword="false"/> when a policy variable in the values does not resolve for
    /// <paramref name="request"/> (the statement must then not apply); otherwise <paramref name="result"/> is the outcome.
    /// </summary>
    public bool TryEvaluate(PolicyRequest request, out bool result)
    {
        foreach (var pattern in _strings)
        {
            if (!pattern.CanResolve(request))
            {
                result = false;
                return false;
            }
        }

        var context = request.FindValues(Key);
        if (Operator.Family == ConditionFamily.Null)
        {
            var absent = context is null;
            result = false;
            foreach (var pattern in _strings)
            {
                result |= string.Equals(pattern.Source, "true", StringComparison.OrdinalIgnoreCase) == absent;
            }

            return true;
        }

        if (context is null)
        {
            result = Operator.IfExists || Operator.Qualifier switch
            {
                ConditionSetQualifier.ForAllValues => true,
                ConditionSetQualifier.ForAnyValue => false,
                _ => Operator.Negated,
            };
            return true;
        }

        switch (Operator.Qualifier)
        {
            case ConditionSetQualifier.ForAllValues:
                result = true;
                foreach (var value in context)
                {
                    if (MatchesAny(value, request) == Operator.Negated)
                    {
                        result = false;
                        break;
                    }
                }

                break;
            case ConditionSetQualifier.ForAnyValue:
                result = false;
                foreach (var value in context)
                {
                    if (MatchesAny(value, request) != Operator.Negated)
                    {
                        result = true;
                        break;
                    }
                }

                break;
            default:
                var any = false;
                foreach (var value in context)
                {
                    if (MatchesAny(value, request))
                    {
                        any = true;
                        break;
                    }
                }

                result = any != Operator.Negated;
                break;
        }

        return true;
    }

    internal static bool TryParseNumber(string text, out double value)
        => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Parses an ISO 8601 date-time (UTC unless it says otherwise) or whole epoch seconds.</summary>
    internal static bool TryParseDate(string text, out DateTimeOffset value)
    {
        value = default;
        var span = text.AsSpan().Trim();
        if (span.Length is > 0 and <= 19 && IsEpochSeconds(span))
        {
            if (!long.TryParse(span, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
                || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            {
                return false;
            }

            value = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        return DateTimeOffset.TryParse(span, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static readonly PolicyRequest EmptyRequest = new(string.Empty, string.Empty, null, new Dictionary<string, IReadOnlyList<string>>());

    private static bool IsBoolean(string? text)
        => string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase);

    private static bool IsEpochSeconds(ReadOnlySpan<char> text)
    {
        var start = text[0] == '-' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        foreach (var c in text[start..])
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static bool Compare<T>(T context, T policy, ConditionComparison comparison)
        where T : IComparable<T>
    {
        var order = context.CompareTo(policy);
        return comparison switch
        {
            ConditionComparison.LessThan => order < 0,
            ConditionComparison.LessThanEquals => order <= 0,
            ConditionComparison.GreaterThan => order > 0,
            ConditionComparison.GreaterThanEquals => order >= 0,
            _ => order == 0,
        };
    }

    /// <summary>Whether one context value matches at least one policy value (before negation).</summary>
    private bool MatchesAny(string value, PolicyRequest request)
    {
        switch (Operator.Family)
        {
            case ConditionFamily.Numeric:
                if (TryParseNumber(value, out var number))
                {
                    foreach (var policyNumber in _numbers)
                    {
                        if (Compare(number, policyNumber, Operator.Comparison))
                        {
                            return true;
                        }
                    }
                }

                return false;
            case ConditionFamily.Date:
                if (TryParseDate(value, out var date))
                {
                    foreach (var policyDate in _dates)
                    {
                        if (Compare(date, policyDate, Operator.Comparison))
                        {
                            return true;
                        }
                    }
                }

                return false;
            case ConditionFamily.IpAddress:
                if (IpCidr.TryParseAddress(value.AsSpan().Trim(), out var isIPv6, out var address))
                {
                    foreach (var network in _networks)
                    {
                        if (network.Contains(isIPv6, address))
                        {
                            return true;
                        }
                    }
                }

                return false;
            default:
                var wildcards = Operator.Family == ConditionFamily.StringLike;
                var ignoreCase = Operator.Family is ConditionFamily.StringIgnoreCase or ConditionFamily.Bool;
                foreach (var pattern in _strings)
                {
                    if (pattern.TryMatch(value, request, wildcards, ignoreCase, out var matched) && matched)
                    {
                        return true;
                    }
                }

                return false;
        }
    }
}
