using System.Collections.Frozen;

namespace ComIO.ApiService.Authorization.Policies;

/// <summary>One validated statement of a <see cref="PolicyDocument"/>. Immutable and thread-safe.</summary>
internal sealed class PolicyStatement
{
    /// <summary>Keys that, fixed to a non-wildcard value, keep an Allow-to-everyone statement from being public (S3 Block Public Access).</summary>
    private static readonly FrozenSet<string> RestrictingKeys = new[]
    {
        "aws:SourceArn", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceAccount", "aws:SourceOwner", "aws:PrincipalOrgID",
        "aws:PrincipalAccount", "aws:userid", "s3:DataAccessPointArn", "s3:DataAccessPointAccount",
        "s3:x-amz-server-side-encryption-aws-kms-key-id",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public PolicyStatement(
        string? sid,
        bool isDeny,
        PrincipalSet? principals,
        bool principalsNegated,
        string[] actions,
        bool actionsNegated,
        PolicyPattern[] resources,
        bool resourcesNegated,
        PolicyCondition[] conditions)
    {
        Sid = sid;
        IsDeny = isDeny;
        Principals = principals;
        PrincipalsNegated = principalsNegated;
        Actions = actions;
        ActionsNegated = actionsNegated;
        Resources = resources;
        ResourcesNegated = resourcesNegated;
        Conditions = conditions;
    }

    public string? Sid { get; }

    public bool IsDeny { get; }

    /// <summary>The <c>Principal</c> (or, when <see cref="PrincipalsNegated"/>, <c>NotPrincipal</c>); <see langword="null"/> in identity policies.</summary>
    public PrincipalSet? Principals { get; }

    public bool PrincipalsNegated { get; }

    public string[] Actions { get; }

    public bool ActionsNegated { get; }

    public PolicyPattern[] Resources { get; }

    public bool ResourcesNegated { get; }

    public PolicyCondition[] Conditions { get; }

    /// <summary>
    /// Whether the statement applies to <paramref name="request"/>: principal (when the statement has one), action, resource and
    /// every condition match. A policy variable that does not resolve makes the statement not apply.
    /// </summary>
    public bool Applies(PolicyRequest request)
    {
        if (Principals is not null && Principals.Matches(request.Principal) == PrincipalsNegated)
        {
            return false;
        }

        var actionMatched = false;
        foreach (var action in Actions)
        {
            if (GlobMatcher.IsMatch(action, request.Action, ignoreCase: true))
            {
                actionMatched = true;
                break;
            }
        }

        if (actionMatched == ActionsNegated)
        {
            return false;
        }

        var resourceMatched = false;
        foreach (var resource in Resources)
        {
            if (!resource.TryMatch(request.Resource, request, wildcards: true, ignoreCase: false, out var matched))
            {
                return false;
            }

            if (matched)
            {
                resourceMatched = true;
                break;
            }
        }

        if (resourceMatched == ResourcesNegated)
        {
            return false;
        }

        foreach (var condition in Conditions)
        {
            if (!condition.TryEvaluate(request, out var result) || !result)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether this is an Allow statement open to everyone (<c>"*"</c> principal or any <c>NotPrincipal</c>) that no condition
    /// restricts to fixed values of <c>aws:SourceIp</c> (a CIDR narrower than /0) or of one of <see cref="RestrictingKeys"/>.
    /// </summary>
    public bool IsPublic()
    {
        if (IsDeny || Principals is null || (!PrincipalsNegated && !Principals.IncludesEveryone))
        {
            return false;
        }

        foreach (var condition in Conditions)
        {
            if (Restricts(condition))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Restricts(PolicyCondition condition)
    {
        var op = condition.Operator;
        if (op.Negated || op.IfExists || op.Qualifier == ConditionSetQualifier.ForAllValues)
        {
            return false;
        }

        if (op.Family == ConditionFamily.IpAddress)
        {
            if (!string.Equals(condition.Key, "aws:SourceIp", StringComparison.OrdinalIgnoreCase) || condition.Networks.Count == 0)
            {
                return false;
            }

            foreach (var network in condition.Networks)
            {
                if (network.PrefixLength == 0)
                {
                    return false;
                }
            }

            return true;
        }

        if (op.Family is not (ConditionFamily.String or ConditionFamily.StringIgnoreCase or ConditionFamily.StringLike)
            || !RestrictingKeys.Contains(condition.Key) || condition.StringValues.Count == 0)
        {
            return false;
        }

        foreach (var value in condition.StringValues)
        {
            if (value.HasVariables || (op.Family == ConditionFamily.StringLike && value.HasWildcards) || value.Source.Length == 0)
            {
                return false;
            }
        }

        return true;
    }
}
