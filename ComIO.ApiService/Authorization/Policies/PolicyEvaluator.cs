namespace ComIO.ApiService.Authorization.Policies;

/// <summary>Evaluates one <see cref="PolicyDocument"/> against one <see cref="PolicyRequest"/>. Pure and thread-safe.</summary>
public static class PolicyEvaluator
{
    /// <summary>
    /// Returns <see cref="PolicyDecision.Deny"/> if any Deny statement applies, otherwise <see cref="PolicyDecision.Allow"/> if any
    /// Allow statement applies, otherwise <see cref="PolicyDecision.NotApplicable"/>. A statement applies when its principal (bucket
    /// policies only; identity policies apply to their own user), action, resource and all conditions match. A statement whose
    /// policy variable cannot be resolved from <see cref="PolicyRequest.ConditionValues"/> does not apply. Combining several
    /// documents (bucket policy, identity policies, ACLs) is the caller's job.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument, or the request's action, resource or condition values, is null.</exception>
    public static PolicyDecision Evaluate(PolicyDocument policy, PolicyRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Action, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Resource, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ConditionValues, nameof(request));
        var allowed = false;
        foreach (var statement in policy.Statements)
        {
            if (!statement.Applies(request))
            {
                continue;
            }

            if (statement.IsDeny)
            {
                return PolicyDecision.Deny;
            }

            allowed = true;
        }

        return allowed ? PolicyDecision.Allow : PolicyDecision.NotApplicable;
    }
}
